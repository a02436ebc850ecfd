#pragma once

namespace rbac {

class MainWindow;

// Puts the real API keys, OAuth connection and Audit trail pages into the window, each bound to
// the open workspace and its services (the window's WorkspaceServices) and built anew when the
// workspace changes. Kept apart from MainWindow so GUI tests can run the window with or without them.
void installConsolePages(MainWindow* window);

} // namespace rbac
