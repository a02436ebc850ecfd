#include "credentials/KeyVerification.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <array>
#include <utility>

namespace rbac {

namespace {

using Verdict = KeyVerification::Verdict;

constexpr std::array<std::pair<Verdict, const char*>, 6> verdictNames {{
    {Verdict::Verified, "verified"},
    {Verdict::MissingScopes, "missing-scopes"},
    {Verdict::ExcessScopes, "excess-scopes"},
    {Verdict::BadKey, "bad-key"},
    {Verdict::Failed, "failed"},
    {Verdict::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<ScopeFinding, const char*>, 5> findingNames {{
    {ScopeFinding::Granted, "granted"},
    {ScopeFinding::Lacking, "lacking"},
    {ScopeFinding::Ambiguous, "ambiguous"},
    {ScopeFinding::Unprobeable, "unprobeable"},
    {ScopeFinding::Inconclusive, "inconclusive"},
}};

// Stored JSON is read back as untrusted: an unknown name falls back to the least optimistic value.
Verdict verdictFromName(const QString& name)
{
    for (const auto& [value, text] : verdictNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return Verdict::Failed;
}

ScopeFinding findingFromName(const QString& name)
{
    for (const auto& [value, text] : findingNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return ScopeFinding::Inconclusive;
}

bool isWriteScope(const QString& scope)
{
    return !scope.endsWith(QLatin1String(":read"));
}

} // namespace

KeyVerification::Outcome KeyVerification::outcomeOf(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Verified:
    case Verdict::ExcessScopes:
        return Outcome::Accepted;
    case Verdict::MissingScopes:
    case Verdict::BadKey:
        return Outcome::Refused;
    case Verdict::Failed:
    case Verdict::Cancelled:
        break;
    }
    return Outcome::NotChecked;
}

QString KeyVerification::summary(const KeyVerification& v, const Assessment& a, const QString& role)
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("KeyVerification", text); };
    const QString comma = QStringLiteral(", ");
    switch (a.verdict) {
    case Verdict::Verified:
        return tr("The key of role %1 has every scope the role needs and no read scope more.").arg(role);
    case Verdict::ExcessScopes:
        return tr("The key of role %1 works but has more read scopes than needed: %2")
            .arg(role, a.excess.join(comma));
    case Verdict::MissingScopes:
        return tr("The key of role %1 lacks scopes the role needs: %2").arg(role, a.missing.join(comma));
    case Verdict::BadKey:
        return tr("Klaviyo does not accept the key of role %1: %2").arg(role, v.message);
    case Verdict::Cancelled:
        return tr("Verification cancelled.");
    case Verdict::Failed:
        break;
    }
    return tr("The key could not be checked: %1").arg(v.message);
}

QString KeyVerification::verdictName(Verdict verdict)
{
    for (const auto& [value, text] : verdictNames) {
        if (value == verdict)
            return QString::fromLatin1(text);
    }
    return QStringLiteral("failed");
}

QString KeyVerification::findingName(ScopeFinding finding)
{
    for (const auto& [value, text] : findingNames) {
        if (value == finding)
            return QString::fromLatin1(text);
    }
    return QStringLiteral("inconclusive");
}

KeyVerification::Assessment KeyVerification::assess(const QStringList& requiredScopes) const
{
    Assessment a;
    a.verdict = verdict;
    if (!ranToCompletion())
        return a;
    QHash<QString, ScopeFinding> found;
    for (const ScopeCheck& c : checks)
        found.insert(c.scope, c.finding);
    for (const QString& scope : requiredScopes) {
        const auto it = found.constFind(scope);
        if (it == found.constEnd()) {
            (isWriteScope(scope) ? a.writeScopes : a.undetermined) << scope;
            continue;
        }
        if (*it == ScopeFinding::Lacking)
            a.missing << scope;
        else if (*it != ScopeFinding::Granted)
            a.undetermined << scope;
    }
    for (const ScopeCheck& c : checks) {
        if (c.finding == ScopeFinding::Granted && !requiredScopes.contains(c.scope))
            a.excess << c.scope;
    }
    if (!a.missing.isEmpty())
        a.verdict = Verdict::MissingScopes;
    else if (!a.excess.isEmpty())
        a.verdict = Verdict::ExcessScopes;
    else
        a.verdict = Verdict::Verified;
    return a;
}

QJsonObject KeyVerification::toJson() const
{
    QJsonArray checkArray;
    for (const ScopeCheck& c : checks) {
        QJsonObject o {
            {QStringLiteral("scope"), c.scope}, {QStringLiteral("finding"), findingName(c.finding)}};
        if (c.httpStatus)
            o.insert(QStringLiteral("status"), c.httpStatus);
        if (!c.note.isEmpty())
            o.insert(QStringLiteral("note"), c.note);
        checkArray.append(o);
    }
    QJsonObject json {{QStringLiteral("verdict"), verdictName(verdict)},
        {QStringLiteral("checkedAt"), checkedAt}, {QStringLiteral("revision"), revision},
        {QStringLiteral("checks"), checkArray}};
    if (hasAccount)
        json.insert(QStringLiteral("account"),
            QJsonObject {{QStringLiteral("id"), account.id},
                {QStringLiteral("organizationName"), account.organizationName},
                {QStringLiteral("publicKey"), account.publicKey},
                {QStringLiteral("testAccount"), account.testAccount}});
    if (!message.isEmpty())
        json.insert(QStringLiteral("message"), message);
    return json;
}

KeyVerification KeyVerification::fromJson(const QJsonObject& json)
{
    KeyVerification v;
    v.verdict = verdictFromName(json.value(QLatin1String("verdict")).toString());
    v.checkedAt = json.value(QLatin1String("checkedAt")).toString();
    v.revision = json.value(QLatin1String("revision")).toString();
    v.message = json.value(QLatin1String("message")).toString();
    const QJsonValue account = json.value(QLatin1String("account"));
    if (account.isObject()) {
        const QJsonObject a = account.toObject();
        v.hasAccount = true;
        v.account.id = a.value(QLatin1String("id")).toString();
        v.account.organizationName = a.value(QLatin1String("organizationName")).toString();
        v.account.publicKey = a.value(QLatin1String("publicKey")).toString();
        v.account.testAccount = a.value(QLatin1String("testAccount")).toBool();
    }
    const QJsonArray checkArray = json.value(QLatin1String("checks")).toArray();
    for (const QJsonValue& value : checkArray) {
        const QJsonObject o = value.toObject();
        ScopeCheck c;
        c.scope = o.value(QLatin1String("scope")).toString();
        if (c.scope.isEmpty())
            continue;
        c.finding = findingFromName(o.value(QLatin1String("finding")).toString());
        c.httpStatus = o.value(QLatin1String("status")).toInt();
        c.note = o.value(QLatin1String("note")).toString();
        v.checks.append(c);
    }
    return v;
}

} // namespace rbac
