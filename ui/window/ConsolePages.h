#pragma once

namespace rbac {

class MainWindow;
class SecretStore;

// Puts the real API keys, OAuth connection and Audit trail pages into the window, each bound to
// the open workspace and built anew when it changes. `store` (the OS keychain) must outlive the
// window. Kept apart from MainWindow so GUI tests can run the window with or without them.
void installConsolePages(MainWindow* window, SecretStore* store);

} // namespace rbac
