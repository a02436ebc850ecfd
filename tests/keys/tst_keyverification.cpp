#include "credentials/KeyVerification.h"

#include <QJsonDocument>
#include <QTest>

using namespace rbac;

namespace {
KeyVerification completed(std::initializer_list<std::pair<const char*, ScopeFinding>> findings)
{
    KeyVerification v;
    v.verdict = KeyVerification::Verdict::Verified;
    for (const auto& [scope, finding] : findings)
        v.checks.append({QString::fromLatin1(scope), finding, 200, {}});
    return v;
}
} // namespace

class TestKeyVerification : public QObject
{
    Q_OBJECT

private slots:
    void allRequiredPresent()
    {
        const KeyVerification v = completed({{"accounts:read", ScopeFinding::Granted},
            {"lists:read", ScopeFinding::Granted}, {"profiles:read", ScopeFinding::Lacking}});
        const auto a = v.assess({QStringLiteral("accounts:read"), QStringLiteral("lists:read")});
        QCOMPARE(a.verdict, KeyVerification::Verdict::Verified);
        QVERIFY(a.missing.isEmpty());
        QVERIFY(a.excess.isEmpty());
    }

    void missingBeatsExcess()
    {
        const KeyVerification v = completed({{"accounts:read", ScopeFinding::Granted},
            {"lists:read", ScopeFinding::Lacking}, {"events:read", ScopeFinding::Granted}});
        const auto a = v.assess({QStringLiteral("accounts:read"), QStringLiteral("lists:read")});
        QCOMPARE(a.verdict, KeyVerification::Verdict::MissingScopes);
        QCOMPARE(a.missing, QStringList {QStringLiteral("lists:read")});
        QCOMPARE(a.excess, QStringList {QStringLiteral("events:read")});
    }

    void excessAlone()
    {
        const KeyVerification v
            = completed({{"accounts:read", ScopeFinding::Granted}, {"events:read", ScopeFinding::Granted}});
        QCOMPARE(v.assess({QStringLiteral("accounts:read")}).verdict, KeyVerification::Verdict::ExcessScopes);
    }

    void writeAndUnsettledScopesAreNamedNotGuessed()
    {
        const KeyVerification v = completed(
            {{"accounts:read", ScopeFinding::Granted}, {"push-tokens:read", ScopeFinding::Ambiguous},
                {"conversations:read", ScopeFinding::Unprobeable}});
        const auto a = v.assess({QStringLiteral("accounts:read"), QStringLiteral("push-tokens:read"),
            QStringLiteral("conversations:read"), QStringLiteral("lists:write"),
            QStringLiteral("users:read")});
        QCOMPARE(a.verdict, KeyVerification::Verdict::Verified);
        QCOMPARE(a.writeScopes, QStringList {QStringLiteral("lists:write")});
        QCOMPARE(a.undetermined,
            (QStringList {QStringLiteral("push-tokens:read"), QStringLiteral("conversations:read"),
                QStringLiteral("users:read")}));
        QVERIFY(a.missing.isEmpty());
    }

    void unfinishedRunsKeepTheirVerdict()
    {
        KeyVerification v;
        v.verdict = KeyVerification::Verdict::BadKey;
        QCOMPARE(v.assess({QStringLiteral("accounts:read")}).verdict, KeyVerification::Verdict::BadKey);
        v.verdict = KeyVerification::Verdict::Failed;
        QVERIFY(!v.ranToCompletion());
    }

    void roundTripsThroughJson()
    {
        KeyVerification v
            = completed({{"accounts:read", ScopeFinding::Granted}, {"lists:read", ScopeFinding::Lacking}});
        v.verdict = KeyVerification::Verdict::MissingScopes;
        v.checkedAt = QStringLiteral("2026-01-02T03:04:05.678Z");
        v.revision = QStringLiteral("2026-07-15");
        v.hasAccount = true;
        v.account = {QStringLiteral("id1"), QStringLiteral("Org"), QStringLiteral("AbC123"), true};
        v.checks[1].note = QStringLiteral("note");
        const QByteArray json = QJsonDocument(v.toJson()).toJson();
        const KeyVerification back = KeyVerification::fromJson(QJsonDocument::fromJson(json).object());
        QCOMPARE(back.verdict, v.verdict);
        QCOMPARE(back.checkedAt, v.checkedAt);
        QCOMPARE(back.account.organizationName, QStringLiteral("Org"));
        QCOMPARE(back.account.testAccount, true);
        QCOMPARE(back.checks.size(), 2);
        QCOMPARE(back.checks.at(1).finding, ScopeFinding::Lacking);
        QCOMPARE(back.checks.at(1).note, QStringLiteral("note"));
    }

    void damagedJsonReadsPessimistically()
    {
        const KeyVerification v = KeyVerification::fromJson(QJsonDocument::fromJson(
            R"({"verdict":"bogus","checks":[{"scope":"x:read","finding":"??"},{"finding":"granted"}]})")
                                                                .object());
        QCOMPARE(v.verdict, KeyVerification::Verdict::Failed);
        QCOMPARE(v.checks.size(), 1);
        QCOMPARE(v.checks.at(0).finding, ScopeFinding::Inconclusive);
    }
};

QTEST_GUILESS_MAIN(TestKeyVerification)
#include "tst_keyverification.moc"
