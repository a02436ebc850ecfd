// A stand-in for one admin's console: toggles random cells of a shared workspace as fast as it
// can (or, with RBAC_WRITER_MODE=append, records audit events). Used by tst_concurrency and the
// writers benchmark, several at once. Prints "applied N conflicts N unchanged N".
#include "workspace/Workspace.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QTextStream>

using namespace rbac;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5) {
        QTextStream(stderr) << "usage: concurrent_writer WORKSPACE ACTOR SEED COUNT\n";
        return 2;
    }
    auto opened = Workspace::open(args.at(1), Workspace::OpenMode::ExistingOnly);
    if (!opened) {
        QTextStream(stderr) << opened.status().message() << '\n';
        return 3;
    }
    Workspace& ws = **opened;
    ws.setActor(args.at(2));
    QRandomGenerator random(args.at(3).toUInt());
    const int count = args.at(4).toInt();
    // Few cells, so writers collide on the same ones often.
    const QStringList roles
        = {QStringLiteral("viewer"), QStringLiteral("service"), QStringLiteral("marketer")};
    const QStringList permissions = {QStringLiteral("canTrackEvents"), QStringLiteral("canWriteProfiles"),
        QStringLiteral("canDeleteProfiles"), QStringLiteral("canManageWebhooks")};
    int applied = 0;
    int conflicts = 0;
    int unchanged = 0;
    if (qEnvironmentVariable("RBAC_WRITER_MODE") == QLatin1String("append")) {
        for (int i = 0; i < count; ++i) {
            if (Status s = ws.recordEvent(QStringLiteral("bench.event"), QStringLiteral("service"),
                    QStringLiteral("bench"), true, {{QStringLiteral("n"), i}});
                !s) {
                QTextStream(stderr) << "error: " << s.message() << '\n';
                return 3;
            }
        }
        QTextStream(stdout) << "applied " << count << " conflicts 0 unchanged 0\n";
        return 0;
    }
    for (int i = 0; i < count; ++i) {
        const QString role = roles.at(random.bounded(int(roles.size())));
        const QString permission = permissions.at(random.bounded(int(permissions.size())));
        const bool want = !ws.policy().isGranted(role, permission); // toggle what this admin sees
        const Status s = ws.setGranted(role, permission, want);
        if (s.kind() == ErrorKind::Conflict) {
            ++conflicts;
            continue;
        }
        if (!s) {
            QTextStream(stderr) << "error: " << s.message() << '\n';
            return 3;
        }
        if (ws.policy().isGranted(role, permission) == want)
            ++applied;
        else
            ++unchanged;
    }
    QTextStream(stdout) << "applied " << applied << " conflicts " << conflicts << " unchanged " << unchanged
                        << '\n';
    return 0;
}
