// For tst_auditdurability: appends N audit entries through the workspace, one transaction each,
// and prints each id on stdout (flushed) only after its append returned. The test SIGKILLs this
// process mid-way: every printed id must survive.
#include "workspace/Workspace.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <cstdio>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: audit_append_helper WORKSPACE COUNT\n");
        return 2;
    }
    auto ws = rbac::Workspace::open(args.at(1));
    if (!ws) {
        std::fprintf(stderr, "%s\n", qPrintable(ws.status().message()));
        return 3;
    }
    (*ws)->setActor(QStringLiteral("durability-helper"));
    qint64 lastId = 0;
    QObject::connect(ws->get(), &rbac::Workspace::auditAppended, [&lastId](qint64 id) { lastId = id; });
    const int count = args.at(2).toInt();
    std::printf("ready\n");
    std::fflush(stdout);
    for (int i = 0; i < count; ++i) {
        const rbac::Status s = (*ws)->recordEvent(QStringLiteral("key.verify"), QStringLiteral("viewer"),
            QStringLiteral("role:viewer"), i % 7 != 0, {{QStringLiteral("n"), i}});
        if (!s) {
            std::fprintf(stderr, "append %d failed: %s\n", i, qPrintable(s.message()));
            return 3;
        }
        std::printf("%lld\n", static_cast<long long>(lastId));
        std::fflush(stdout);
    }
    return 0;
}
