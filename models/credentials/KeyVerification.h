#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace rbac {

// What one probe said about one read scope (docs/klaviyo.md §9).
enum class ScopeFinding
{
    Granted,      // 200: the key holds the scope
    Lacking,      // 403 from a probe nothing else could explain
    Ambiguous,    // 403 from a probe that also needs another scope the key may lack
    Unprobeable,  // no safe probe: it needs a path id
    Inconclusive, // the probe answered something else (400, 404, 5xx after retries …)
};

struct ScopeCheck
{
    QString scope;
    ScopeFinding finding = ScopeFinding::Inconclusive;
    int httpStatus = 0; // 0: not sent
    QString note;
};

// The account a key belongs to, from GET /api/accounts. None of it is secret.
struct KlaviyoAccount
{
    QString id;
    QString organizationName;
    QString publicKey; // site id, 6 characters
    bool testAccount = false;
};

// One verification of a key against Klaviyo, as stored (non-secret) in the workspace.
struct KeyVerification
{
    enum class Verdict
    {
        Verified,      // every required scope that can be probed is present, nothing extra found
        MissingScopes, // a required scope is confirmed lacking: the role will fail
        ExcessScopes,  // more read scopes than the role needs: least privilege broken
        BadKey,        // 401: Klaviyo does not accept the key
        Failed,        // network, 5xx, throttling or a malformed answer: nothing was learnt
        Cancelled,
    };

    // The role's required scopes held against the checks. Recomputed whenever the policy
    // changes, so a stored verification never shows a stale verdict.
    struct Assessment
    {
        Verdict verdict = Verdict::Failed;
        QStringList missing;      // required, confirmed lacking
        QStringList excess;       // confirmed granted, not required
        QStringList writeScopes;  // required write scopes: Klaviyo offers no safe probe for them
        QStringList undetermined; // required read scopes no probe could settle (ambiguous, no probe …)
    };

    Verdict verdict = Verdict::Failed;
    QString checkedAt; // ISO-8601 UTC
    QString revision;
    bool hasAccount = false;
    KlaviyoAccount account;
    QVector<ScopeCheck> checks; // every read scope with a catalog probe, catalog order
    QString message;            // why it failed or was cancelled; never contains the key

    Assessment assess(const QStringList& requiredScopes) const;
    bool ranToCompletion() const
    {
        return verdict != Verdict::Failed && verdict != Verdict::Cancelled && verdict != Verdict::BadKey;
    }

    QJsonObject toJson() const;
    static KeyVerification fromJson(const QJsonObject& json);

    // What a verdict means, the one rule every command, page and dialog follows: Accepted (the key
    // may be used: verified, or working with read scopes to spare), Refused (it lacks scopes or
    // Klaviyo rejects it: the CLI's exit 1), NotChecked (network, throttling, cancelled: exit 3).
    enum class Outcome
    {
        Accepted,
        Refused,
        NotChecked,
    };
    static Outcome outcomeOf(Verdict verdict);
    // One sentence for people about role `role`'s key, from the verdict and the assessment.
    static QString summary(const KeyVerification& verification, const Assessment& assessment, const QString& role);

    static QString verdictName(Verdict verdict);
    static QString findingName(ScopeFinding finding);
};

} // namespace rbac
