#include "widgets/ProblemLabel.h"

#include <QPushButton>

namespace rbac {

namespace {
const QString errorStyle = QStringLiteral("color: #b3261e;");
const QString hintStyle = QStringLiteral("color: palette(mid);");
} // namespace

ProblemLabel::ProblemLabel(const QString& objectName, QWidget* parent)
    : QLabel(parent)
{
    setObjectName(objectName);
    setAccessibleName(tr("Input problem"));
    setWordWrap(true);
}

void ProblemLabel::showProblem(const QString& why, bool started, QPushButton* ok)
{
    ok->setEnabled(why.isEmpty());
    setStyleSheet(!why.isEmpty() && started ? errorStyle : hintStyle);
    setText(why);
}

bool ProblemLabel::tryCommit(const QString& why, const std::function<Status()>& commit)
{
    if (!why.isEmpty())
        return false; // refused: the reason is on screen, nothing was written
    const Status s = commit();
    if (!s) {
        setStyleSheet(errorStyle);
        setText(tr("Not saved: %1").arg(s.message()));
        return false;
    }
    return true;
}

} // namespace rbac
