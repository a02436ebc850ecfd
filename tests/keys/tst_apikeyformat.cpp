#include "credentials/ApiKeyFormat.h"
#include "keychain/SecretBytes.h"

#include <QTest>

using namespace rbac;

class TestApiKeyFormat : public QObject
{
    Q_OBJECT

private slots:
    void validatesThePrivateKeyForm_data()
    {
        QTest::addColumn<QByteArray>("pasted");
        QTest::addColumn<bool>("valid");
        QTest::newRow("typical") << QByteArray("pk_0123456789abcdef0123456789abcdef01") << true;
        QTest::newRow("trailing newline from a pipe")
            << QByteArray("pk_0123456789abcdef0123456789abcdef01\n") << true;
        QTest::newRow("pasted with spaces")
            << QByteArray("  pk_0123456789ABCDEF0123456789abcdef01 \r\n") << true;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("public key") << QByteArray("AbC123") << false;
        QTest::newRow("no prefix") << QByteArray("0123456789abcdef0123456789abcdef01") << false;
        QTest::newRow("wrong prefix case") << QByteArray("PK_0123456789abcdef0123456789abcdef01") << false;
        QTest::newRow("too short") << QByteArray("pk_0123456789") << false;
        QTest::newRow("inner space") << QByteArray("pk_0123456789abcdef 0123456789abcdef01") << false;
        QTest::newRow("two lines") << QByteArray("pk_0123456789abcdef\n0123456789abcdef01") << false;
        QTest::newRow("too long") << QByteArray("pk_") + QByteArray(200, 'a') << false;
    }

    void validatesThePrivateKeyForm()
    {
        QFETCH(QByteArray, pasted);
        QFETCH(bool, valid);
        const QByteArray key = ApiKeyFormat::trimmed(pasted);
        QCOMPARE(ApiKeyFormat::isPrivateKey(key), valid);
        const QString problem = ApiKeyFormat::problem(key);
        QCOMPARE(problem.isEmpty(), valid);
        // The explanation never repeats what was pasted.
        if (key.size() > 4)
            QVERIFY(!problem.contains(QString::fromLatin1(key.mid(3, 8))));
    }

    void publicKeyGetsItsOwnHint()
    {
        QVERIFY(ApiKeyFormat::problem("AbC123").contains(QLatin1String("public key")));
    }

    void masksToTheLastFour()
    {
        const QByteArray key("pk_0123456789abcdef0123456789abcdWXYZ");
        QCOMPARE(ApiKeyFormat::last4(key), QStringLiteral("WXYZ"));
        QCOMPARE(ApiKeyFormat::masked(ApiKeyFormat::last4(key)), QStringLiteral("pk_\u2026WXYZ"));
        QCOMPARE(ApiKeyFormat::last4("pk_1"), QString()); // too short to reveal anything
    }

    void wipeOverwritesOwnedBuffers()
    {
        QByteArray secret("pk_0123456789abcdef0123456789abcdef01");
        secret.detach();
        const qsizetype size = secret.size();
        zeroInPlace(secret);
        QCOMPARE(secret, QByteArray(size, '\0'));
        wipe(secret);
        QVERIFY(secret.isEmpty());

        QByteArray shared("pk_0123456789abcdef0123456789abcdef01");
        shared.detach();
        const QByteArray other = shared; // still in use elsewhere: must stay intact
        wipe(shared);
        QVERIFY(shared.isEmpty());
        QCOMPARE(other, QByteArray("pk_0123456789abcdef0123456789abcdef01"));

        QByteArray literal = QByteArrayLiteral("pk_literal_data_is_read_only_0000");
        wipe(literal); // must not crash on read-only data
        QVERIFY(literal.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestApiKeyFormat)
#include "tst_apikeyformat.moc"
