#pragma once

#include <QIcon>

namespace rbac {

// Icons for the console's four pages, drawn with QPainter at whatever size and device pixel
// ratio is asked for (sharp on high-DPI screens) in the palette's text colour (right in light and
// dark themes). Drawn rather than shipped because Debian's Qt has no SVG icon engine by default.
enum class PageIcon
{
    Roles,
    ApiKeys,
    OAuth,
    Audit,
};

QIcon pageIcon(PageIcon icon);

} // namespace rbac
