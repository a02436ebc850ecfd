#pragma once

#include "base/Status.h"

#include <QLabel>

#include <functional>

class QPushButton;

namespace rbac {

// The line under a dialog's form that says why OK is disabled, or why saving failed. Shared by
// the role and permission dialogs, which refuse bad input in place and write nothing.
class ProblemLabel : public QLabel
{
    Q_OBJECT

public:
    ProblemLabel(const QString& objectName, QWidget* parent = nullptr);

    // Shows `why` (empty: all is well) and enables `ok` only then. Before the user has typed
    // anything (`started` false) the reason reads as a hint, not as an error.
    void showProblem(const QString& why, bool started, QPushButton* ok);
    // For OK: false (stay open, reason shown) while `why` is not empty or when `commit` fails.
    bool tryCommit(const QString& why, const std::function<Status()>& commit);
};

} // namespace rbac
