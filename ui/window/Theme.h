#pragma once

#include <QString>

namespace rbac {

// Light or dark. "System" follows the desktop's preference (the XDG desktop portal's
// color-scheme, as GNOME and KDE publish it); Qt 6.4 does not do this itself on Linux.
enum class ThemeChoice
{
    System,
    Light,
    Dark,
};

namespace Theme {

ThemeChoice fromName(const QString& name); // unknown names mean System
QString name(ThemeChoice choice);
// Whether the desktop asks for dark; false when it does not say or cannot be asked.
bool systemPrefersDark();
// Sets the Fusion style's light or dark palette (System: as the desktop prefers).
void apply(ThemeChoice choice);
bool isDark();

} // namespace Theme

} // namespace rbac
