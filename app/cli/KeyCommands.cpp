// key set/status/verify/link/remove/confirm-deleted: per-role Klaviyo keys in the OS keychain.
#include "KeyCommands.h"

#include "SecretInput.h"

#include "credentials/ApiKeyFormat.h"
#include "CliContext.h"
#include "base/Clock.h"
#include "Command.h"
#include "EventWait.h"
#include "keychain/KeyService.h"
#include "credentials/KeyStatus.h"
#include "klaviyo/KeyVerifier.h"
#include "keychain/QtKeychainStore.h"
#include "keychain/SecretBytes.h"
#include "TextTable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace rbac::cli {

namespace {

// Every keychain step has its own timeout; this only guards against a callback never coming.
constexpr int keychainWaitMs = 4 * QtKeychainStore::defaultTimeoutMs + 5000;
// Pacing, Retry-After and retries of ~30 probes; far above what a healthy run needs.
constexpr int verifyWaitMs = 15 * 60 * 1000;

const QString tableJson = QStringLiteral("table|json");

Status timedOut(const QString& what)
{
    return Status::error(ErrorKind::Environment, QStringLiteral("%1 did not finish in time").arg(what));
}

QString ageText(qint64 days)
{
    if (days < 0)
        return QStringLiteral("-");
    return days == 0 ? QStringLiteral("today") : QStringLiteral("%1 d").arg(days);
}

QString timeText(const QDateTime& time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
                          : QStringLiteral("never");
}

QStringList notesFor(const KeyRecord& record, const KeyStatus& status, int rotationDays)
{
    QStringList notes;
    if (status.rotationDue)
        notes << QStringLiteral("rotate: older than %1 days").arg(rotationDays);
    if (status.assessment) {
        if (!status.assessment->missing.isEmpty())
            notes << QStringLiteral("missing %1").arg(status.assessment->missing.join(QLatin1Char(',')));
        if (!status.assessment->excess.isEmpty())
            notes << QStringLiteral("excess %1").arg(status.assessment->excess.join(QLatin1Char(',')));
    }
    for (const RetiredKey& r : record.retired)
        notes << QStringLiteral("delete %1 in Klaviyo").arg(ApiKeyFormat::masked(r.last4));
    return notes;
}

struct KeySession
{
    explicit KeySession(Workspace* ws)
        : service(ws, &store)
    {
    }
    QtKeychainStore store;
    KeyService service;
};

int storeKey(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    QByteArray key = ApiKeyFormat::trimmed(readSecretFromStdin(ctx,
        QStringLiteral("Paste the Klaviyo private key for role '%1' and press Enter: ").arg(args.at(0))));
    WipeOnExit wipeKey(key);
    if (const QString problem = ApiKeyFormat::problem(key); !problem.isEmpty())
        return ctx.fail(
            Status::error(ErrorKind::InvalidInput, QStringLiteral("key from stdin: %1").arg(problem)));
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    if (!ws->policy().role(args.at(0)))
        return ctx.fail(Status::error(
            ErrorKind::NotFound, QStringLiteral("no role '%1' in this workspace").arg(args.at(0))));
    KeySession session(ws);
    std::optional<KeyVerification> verification;
    if (parser.isSet(QStringLiteral("verify"))) {
        Expected<std::unique_ptr<KeyVerifier>> verifier = KeyVerifier::forWorkspace(*ws);
        if (!verifier)
            return ctx.fail(verifier.status());
        EventWait wait;
        QObject::connect(verifier->get(), &KeyVerifier::finished, [&wait] { wait.done(); });
        const QStringList required = session.service.requiredScopes(args.at(0));
        (*verifier)->start(key, required);
        if (!wait.wait(verifyWaitMs))
            return ctx.fail(timedOut(QStringLiteral("the verification")));
        const KeyVerification& v = (*verifier)->result();
        const KeyVerification::Assessment a = v.assess(required);
        switch (KeyVerification::outcomeOf(a.verdict)) {
        case KeyVerification::Outcome::Accepted:
            verification = v;
            break;
        case KeyVerification::Outcome::Refused:
            ctx.err << "klaviyo-rbac: not stored (" << ApiKeyFormat::masked(ApiKeyFormat::last4(key))
                    << "): " << KeyVerification::summary(v, a, args.at(0)) << Qt::endl;
            return ExitDenied;
        case KeyVerification::Outcome::NotChecked:
            return ctx.fail(Status::error(ErrorKind::Environment,
                QStringLiteral("not stored: %1").arg(KeyVerification::summary(v, a, args.at(0)))));
        }
    }
    const Expected<KeyRecord> before = session.service.record(args.at(0));
    EventWait wait;
    Status result;
    session.service.storeKey(args.at(0), key, verification, [&](const Status& s) {
        result = s;
        wait.done();
    });
    if (!wait.wait(keychainWaitMs))
        return ctx.fail(timedOut(QStringLiteral("the keychain")));
    if (!result)
        return ctx.fail(result);
    const QString masked = ApiKeyFormat::masked(ApiKeyFormat::last4(key));
    if (before && before->hasKey && before->last4 != ApiKeyFormat::last4(key)) {
        ctx.out << QStringLiteral("replaced key %1 of role '%2' with %3")
                       .arg(ApiKeyFormat::masked(before->last4), args.at(0), masked)
                << Qt::endl
                << QStringLiteral(
                       "the old key still works until you delete it in Klaviyo; then run: klaviyo-rbac key "
                       "confirm-deleted %1 %2")
                       .arg(args.at(0), before->last4)
                << Qt::endl;
    } else {
        ctx.out << QStringLiteral("stored key %1 for role '%2' in %3")
                       .arg(masked, args.at(0), session.store.name())
                << Qt::endl;
    }
    if (verification)
        ctx.out << "verified: " << KeyVerification::verdictName(verification->verdict) << Qt::endl;
    return ExitOk;
}

int keyStatus(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("json")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    if (!args.isEmpty() && !ws->policy().role(args.at(0)))
        return ctx.fail(Status::error(
            ErrorKind::NotFound, QStringLiteral("no role '%1' in this workspace").arg(args.at(0))));
    Expected<QVector<KeyRecord>> records = KeyIndex::load(ws->database());
    if (!records)
        return ctx.fail(records.status());
    KeySession session(ws);
    const bool checkKeychain = !parser.isSet(QStringLiteral("skip-keychain"));
    const int rotationDays = KeyStatusRules::rotationDays(*ws);
    const QDateTime now = Clock::nowUtc();
    bool unavailable = false;
    TextTable table({QStringLiteral("ROLE"), QStringLiteral("STATUS"), QStringLiteral("KEY"),
        QStringLiteral("AGE"), QStringLiteral("LAST VERIFIED"), QStringLiteral("NOTES")});
    QJsonArray json;
    for (const KeyRecord& record : std::as_const(*records)) {
        if (!args.isEmpty() && record.roleName != args.at(0))
            continue;
        std::optional<bool> readable;
        if (record.hasKey && checkKeychain) {
            EventWait wait;
            session.service.checkReadable(record.roleName, [&](std::optional<bool> r) {
                readable = r;
                wait.done();
            });
            if (!wait.wait(keychainWaitMs))
                readable = false;
        }
        // On a shared workspace another admin may have stored a different key for the role.
        std::optional<bool> matches;
        if (readable == std::optional<bool>(true)) {
            EventWait wait;
            session.service.checkMatchesRecord(record.roleName, [&](std::optional<bool> m) {
                matches = m;
                wait.done();
            });
            wait.wait(keychainWaitMs);
        }
        const KeyStatus status = KeyStatusRules::evaluate(
            record, session.service.requiredScopes(record.roleName), readable, now, rotationDays);
        unavailable = unavailable || status.state == KeyState::KeychainUnavailable;
        QStringList notes = notesFor(record, status, rotationDays);
        if (matches == std::optional<bool>(false))
            notes.prepend(
                QStringLiteral("this keychain holds a different key than the one recorded for the team "
                               "(fingerprint differs): set the current key with 'key set'"));
        const QString masked = record.hasKey ? ApiKeyFormat::masked(record.last4) : QStringLiteral("-");
        table.addRow({record.roleName, KeyStatusRules::stateName(status.state), masked,
            ageText(status.ageDays), record.hasKey ? timeText(record.verifiedAt) : QStringLiteral("-"),
            notes.join(QStringLiteral("; "))});
        QJsonObject o {{QStringLiteral("role"), record.roleName},
            {QStringLiteral("status"), KeyStatusRules::stateName(status.state)},
            {QStringLiteral("rotationDue"), status.rotationDue}};
        if (matches)
            o.insert(QStringLiteral("matchesRecord"), *matches);
        if (record.hasKey) {
            o.insert(QStringLiteral("key"), masked);
            o.insert(QStringLiteral("storedAt"), isoUtc(record.storedAt));
            o.insert(QStringLiteral("ageDays"), status.ageDays);
            if (record.verifiedAt.isValid())
                o.insert(QStringLiteral("verifiedAt"), isoUtc(record.verifiedAt));
        }
        if (status.assessment) {
            o.insert(QStringLiteral("missing"), QJsonArray::fromStringList(status.assessment->missing));
            o.insert(QStringLiteral("excess"), QJsonArray::fromStringList(status.assessment->excess));
        }
        QJsonArray retired;
        for (const RetiredKey& r : record.retired)
            retired.append(ApiKeyFormat::masked(r.last4));
        o.insert(QStringLiteral("deleteInKlaviyo"), retired);
        json.append(o);
    }
    if (format == QLatin1String("json"))
        ctx.out << QJsonDocument(json).toJson(QJsonDocument::Indented) << Qt::flush;
    else
        table.print(ctx.out);
    if (unavailable) {
        ctx.err
            << "klaviyo-rbac: error: the keychain is locked or unavailable: stored keys could not be read "
               "(nothing was deleted)"
            << Qt::endl;
        return ExitEnvironment;
    }
    return ExitOk;
}

void printVerification(CliContext& ctx, const KeyVerification& v, const QStringList& required)
{
    if (v.hasAccount)
        ctx.out << "account: " << v.account.organizationName << " (public key " << v.account.publicKey
                << (v.account.testAccount ? ", test account" : ", not a test account") << ")\n";
    ctx.out << "revision: " << v.revision << '\n';
    if (!v.ranToCompletion()) {
        ctx.out << "result: " << KeyVerification::verdictName(v.verdict) << " - " << v.message << Qt::endl;
        return;
    }
    TextTable table({QStringLiteral("SCOPE"), QStringLiteral("REQUIRED"), QStringLiteral("FINDING"),
        QStringLiteral("HTTP"), QStringLiteral("NOTE")});
    for (const ScopeCheck& c : v.checks)
        table.addRow({c.scope, required.contains(c.scope) ? QStringLiteral("yes") : QStringLiteral("no"),
            KeyVerification::findingName(c.finding),
            c.httpStatus ? QString::number(c.httpStatus) : QStringLiteral("-"), c.note});
    table.print(ctx.out);
    const KeyVerification::Assessment a = v.assess(required);
    const auto line = [&ctx](const char* label, const QStringList& list) {
        if (!list.isEmpty())
            ctx.out << label << list.join(QStringLiteral(", ")) << '\n';
    };
    ctx.out << '\n';
    line("missing (the role will fail): ", a.missing);
    line("excess (least privilege broken): ", a.excess);
    line("required write scopes Klaviyo offers no safe probe for (not checked): ", a.writeScopes);
    line("required read scopes no probe could settle: ", a.undetermined);
    ctx.out << "extra write scopes cannot be detected: Klaviyo has no read-only way to test them\n";
    ctx.out << "result: " << KeyVerification::verdictName(a.verdict) << Qt::endl;
}

int verifyKey(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("json")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Expected<std::unique_ptr<KeyVerifier>> made = KeyVerifier::forWorkspace(*ws);
    if (!made)
        return ctx.fail(made.status());
    KeyVerifier& verifier = **made;
    KeySession session(ws);
    const Expected<KeyRecord> record = session.service.record(args.at(0));
    if (!record)
        return ctx.fail(record.status());
    if (!record->hasKey)
        return ctx.fail(Status::error(ErrorKind::NotFound,
            QStringLiteral("role '%1' has no stored key; store one with "
                           "'klaviyo-rbac key set %1'")
                .arg(args.at(0))));
    EventWait wait;
    Status result;
    session.service.verifyStored(args.at(0), &verifier, [&](const Status& s) {
        result = s;
        wait.done();
    });
    if (!wait.wait(verifyWaitMs)) {
        verifier.cancel();
        return ctx.fail(timedOut(QStringLiteral("the verification")));
    }
    if (!result)
        return ctx.fail(result);
    const KeyVerification& v = verifier.result();
    const QStringList required = session.service.requiredScopes(args.at(0));
    if (format == QLatin1String("json")) {
        QJsonObject o = v.toJson();
        const KeyVerification::Assessment a = v.assess(required);
        o.insert(QStringLiteral("role"), args.at(0));
        o.insert(QStringLiteral("key"), ApiKeyFormat::masked(record->last4));
        o.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
        o.insert(QStringLiteral("missing"), QJsonArray::fromStringList(a.missing));
        o.insert(QStringLiteral("excess"), QJsonArray::fromStringList(a.excess));
        o.insert(QStringLiteral("writeScopesNotProbed"), QJsonArray::fromStringList(a.writeScopes));
        o.insert(QStringLiteral("undetermined"), QJsonArray::fromStringList(a.undetermined));
        o.insert(QStringLiteral("requests"), verifier.requestsSent());
        o.insert(QStringLiteral("elapsedMs"), verifier.elapsedMs());
        o.insert(QStringLiteral("waitedMs"), verifier.waitedMs());
        ctx.out << QJsonDocument(o).toJson(QJsonDocument::Indented) << Qt::flush;
    } else {
        ctx.out << "role: " << args.at(0) << ", key " << ApiKeyFormat::masked(record->last4) << '\n';
        printVerification(ctx, v, required);
        ctx.out << QStringLiteral("%1 request(s) in %2 s, %3 s of it waiting for rate limits")
                       .arg(verifier.requestsSent())
                       .arg(verifier.elapsedMs() / 1000.0, 0, 'f', 1)
                       .arg(verifier.waitedMs() / 1000.0, 0, 'f', 1)
                << Qt::endl;
    }
    switch (KeyVerification::outcomeOf(v.verdict)) {
    case KeyVerification::Outcome::Accepted:
        return ExitOk;
    case KeyVerification::Outcome::Refused:
        return ExitDenied;
    case KeyVerification::Outcome::NotChecked:
        ctx.err << "klaviyo-rbac: error: " << v.message << Qt::endl;
        return ExitEnvironment;
    }
    return ExitEnvironment;
}

int keyLink(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    if (!ws->policy().role(args.at(0)))
        return ctx.fail(Status::error(
            ErrorKind::NotFound, QStringLiteral("no role '%1' in this workspace").arg(args.at(0))));
    KeySession session(ws);
    ctx.out << session.service.createKeyLink(args.at(0)) << Qt::endl;
    return ExitOk;
}

int removeKey(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    KeySession session(ws);
    const Expected<KeyRecord> record = session.service.record(args.at(0));
    if (!record)
        return ctx.fail(record.status());
    if (!record->hasKey) {
        ctx.out << QStringLiteral("role '%1' has no stored key; nothing changed").arg(args.at(0)) << Qt::endl;
        return ExitOk;
    }
    EventWait wait;
    Status result;
    session.service.removeKey(args.at(0), [&](const Status& s) {
        result = s;
        wait.done();
    });
    if (!wait.wait(keychainWaitMs))
        return ctx.fail(timedOut(QStringLiteral("the keychain")));
    if (!result)
        return ctx.fail(result);
    ctx.out << QStringLiteral("removed key %1 of role '%2' from the keychain")
                   .arg(ApiKeyFormat::masked(record->last4), args.at(0))
            << Qt::endl
            << QStringLiteral(
                   "it still works in Klaviyo until you delete it there; then run: klaviyo-rbac key "
                   "confirm-deleted %1 %2")
                   .arg(args.at(0), record->last4)
            << Qt::endl;
    return ExitOk;
}

int confirmDeleted(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    KeySession session(ws);
    const Expected<KeyRecord> record = session.service.record(args.at(0));
    if (!record)
        return ctx.fail(record.status());
    QString last4 = args.at(1);
    if (last4.startsWith(QLatin1String("pk_")))
        last4 = last4.right(4);
    for (const RetiredKey& r : record->retired) {
        if (r.last4 != last4)
            continue;
        if (Status s = session.service.confirmDeletedInKlaviyo(args.at(0), r.id); !s)
            return ctx.fail(s);
        ctx.out << QStringLiteral("noted: %1 of role '%2' is deleted in Klaviyo")
                       .arg(ApiKeyFormat::masked(last4), args.at(0))
                << Qt::endl;
        return ExitOk;
    }
    return ctx.fail(Status::error(ErrorKind::NotFound,
        QStringLiteral("role '%1' has no replaced key %2 waiting to be deleted in Klaviyo")
            .arg(args.at(0), ApiKeyFormat::masked(last4))));
}

} // namespace

int removeRoleAndKey(CliContext& ctx, const QString& role)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    KeySession session(ws);
    EventWait wait;
    Status result;
    session.service.removeRole(role, [&](const Status& s) {
        result = s;
        wait.done();
    });
    if (!wait.wait(keychainWaitMs))
        return ctx.fail(timedOut(QStringLiteral("the keychain")));
    if (!result)
        return ctx.fail(result);
    ctx.out << QStringLiteral("removed role '%1'").arg(role) << Qt::endl;
    return ExitOk;
}

void addKeyCommands(QVector<Command>& commands)
{
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("output format: table|json"),
        QStringLiteral("FORMAT"), QStringLiteral("table"));
    commands.append({{QStringLiteral("key"), QStringLiteral("set")}, QStringLiteral("ROLE [--verify] < KEY"),
        QStringLiteral("Store or replace ROLE's Klaviyo private key in the OS keychain; the key is read "
                       "from stdin, never from the command line."),
        {QCommandLineOption(QStringLiteral("verify"),
            QStringLiteral("check the key against Klaviyo first; store it only if it "
                           "has every required scope"))},
        1, 1, storeKey});
    commands.append({{QStringLiteral("key"), QStringLiteral("status")},
        QStringLiteral("[ROLE] [--format table|json] [--skip-keychain]"),
        QStringLiteral("Key status per role: none, stored, verified, missing/excess scopes, keychain "
                       "unavailable (exit 3). Also rotation and delete-in-Klaviyo reminders."),
        {format,
            QCommandLineOption(QStringLiteral("skip-keychain"),
                QStringLiteral("report from the workspace only, without reading "
                               "the keychain"))},
        0, 1, keyStatus});
    commands.append(
        {{QStringLiteral("key"), QStringLiteral("verify")}, QStringLiteral("ROLE [--format table|json]"),
            QStringLiteral("Check ROLE's key against Klaviyo. Exit 0 all required scopes present, 1 missing "
                           "scopes or bad key, 3 network or keychain."),
            {format}, 1, 1, verifyKey});
    commands.append({{QStringLiteral("key"), QStringLiteral("link")}, QStringLiteral("ROLE"),
        QStringLiteral("Print the Klaviyo link that creates a key with exactly ROLE's scopes."), {}, 1, 1,
        keyLink});
    commands.append({{QStringLiteral("key"), QStringLiteral("remove")}, QStringLiteral("ROLE"),
        QStringLiteral("Delete ROLE's key from the keychain (it still works in Klaviyo until deleted "
                       "there)."),
        {}, 1, 1, removeKey});
    commands.append({{QStringLiteral("key"), QStringLiteral("confirm-deleted")}, QStringLiteral("ROLE LAST4"),
        QStringLiteral("Note that a replaced or removed key (pk_...LAST4) is deleted in Klaviyo."), {}, 2, 2,
        confirmDeleted});
}

} // namespace rbac::cli
