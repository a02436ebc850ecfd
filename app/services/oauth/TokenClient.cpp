#include "oauth/TokenClient.h"

#include "keychain/SecretBytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>

namespace rbac {

namespace {

QByteArray field(const char* name, const QByteArray& value)
{
    // Everything but unreserved characters percent-encoded, '+' included (ownCloud #7762): what
    // the server decodes is exactly what we hold (NetworkAuth 6.4 double-encoded codes, #12).
    return QByteArray(name) + '=' + value.toPercentEncoding();
}

QString describeNetworkError(const QNetworkReply* reply, const QUrl& url)
{
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return QStringLiteral("%1 did not answer in time").arg(url.toDisplayString(QUrl::RemoveQuery));
    return QStringLiteral("%1: %2").arg(url.toDisplayString(QUrl::RemoveQuery), reply->errorString());
}

qint64 expiresIn(const QJsonValue& value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    bool ok = false;
    const qint64 seconds = value.toString().toLongLong(&ok);
    return ok ? seconds : 0;
}

} // namespace

TokenClient::TokenClient(int timeoutMs, QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_timeoutMs(timeoutMs)
{
}

void TokenClient::exchangeCode(const QUrl& tokenUrl,
    const Client& client,
    const QByteArray& code,
    const QByteArray& verifier,
    const QUrl& redirectUri,
    QObject* context,
    TokenCallback done)
{
    QByteArray form = field("grant_type", "authorization_code") + '&' + field("code", code) + '&'
        + field("code_verifier", verifier) + '&'
        + field("redirect_uri", redirectUri.toString(QUrl::FullyEncoded).toUtf8());
    post(tokenUrl, client, std::move(form), {code, verifier}, Expect::NewTokens, context, std::move(done));
}

void TokenClient::refresh(const QUrl& tokenUrl,
    const Client& client,
    const QByteArray& refreshToken,
    QObject* context,
    TokenCallback done)
{
    QByteArray form = field("grant_type", "refresh_token") + '&' + field("refresh_token", refreshToken);
    post(tokenUrl, client, std::move(form), {refreshToken}, Expect::RefreshTokens, context, std::move(done));
}

void TokenClient::revoke(const QUrl& revokeUrl,
    const Client& client,
    const QByteArray& refreshToken,
    QObject* context,
    TokenCallback done)
{
    QByteArray form = field("token", refreshToken) + '&' + field("token_type_hint", "refresh_token");
    post(revokeUrl, client, std::move(form), {refreshToken}, Expect::Nothing, context, std::move(done));
}

void TokenClient::post(const QUrl& url,
    const Client& client,
    QByteArray form,
    QList<QByteArray> secrets,
    Expect expect,
    QObject* context,
    TokenCallback done)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_timeoutMs);
    request.setHeader(
        QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    // One client-auth method only, Basic (docs/klaviyo.md §3; sending two broke AD FS for ownCloud).
    QByteArray credentials = client.id.toUtf8() + ':' + client.secret;
    QByteArray header = "Basic " + credentials.toBase64();
    request.setRawHeader("Authorization", header);
    wipe(credentials);
    wipe(header);
    secrets << client.secret;

    QNetworkReply* reply = m_network->post(request, form);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this,
        [reply, url, expect, guard, form, secrets, done = std::move(done)]() mutable {
            reply->deleteLater();
            QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
            WipeOnExit wipeBody(body);
            WipeOnExit wipeForm(form);
            const QString endpoint = url.toDisplayString(QUrl::RemoveQuery);
            TokenReply r;
            r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject json = QJsonDocument::fromJson(body).object();
            if (r.httpStatus == 0) {
                r.message = describeNetworkError(reply, url);
            } else if (r.httpStatus >= 300 && r.httpStatus < 400) {
                r.message = QStringLiteral("%1 answered with a redirect (HTTP %2); not followed")
                                .arg(endpoint)
                                .arg(r.httpStatus);
            } else if (r.httpStatus >= 400 && json.value(QLatin1String("error")).isString()) {
                r.outcome = TokenReply::OAuthError;
                r.error = redacted(json.value(QLatin1String("error")).toString(), secrets);
                const QString description
                    = redacted(json.value(QLatin1String("error_description")).toString(), secrets);
                r.message = description.isEmpty() ? r.error : r.error + QStringLiteral(": ") + description;
            } else if (r.httpStatus >= 400) {
                r.message = QStringLiteral("%1 answered HTTP %2").arg(endpoint).arg(r.httpStatus);
            } else if (expect == Expect::Nothing) {
                r.outcome = TokenReply::Ok;
            } else {
                TokenSet& t = r.tokens;
                t.accessToken = json.value(QLatin1String("access_token")).toString().toUtf8();
                t.refreshToken = json.value(QLatin1String("refresh_token")).toString().toUtf8();
                t.tokenType = json.value(QLatin1String("token_type")).toString();
                t.expiresIn = expiresIn(json.value(QLatin1String("expires_in")));
                t.scopeReported = json.contains(QLatin1String("scope"));
                static const QRegularExpression spaces(QStringLiteral("[\\s,]+"));
                t.scopes = json.value(QLatin1String("scope")).toString().split(spaces, Qt::SkipEmptyParts);
                if (t.accessToken.isEmpty())
                    r.message = QStringLiteral("%1 answered without an access_token").arg(endpoint);
                else if (t.tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0)
                    r.message = QStringLiteral("%1 answered token_type '%2', not Bearer")
                                    .arg(endpoint, redacted(t.tokenType, secrets));
                else if (expect == Expect::NewTokens && t.refreshToken.isEmpty())
                    r.message = QStringLiteral("%1 answered without a refresh_token").arg(endpoint);
                else
                    r.outcome = TokenReply::Ok;
                if (r.outcome != TokenReply::Ok)
                    t.wipe();
            }
            for (QByteArray& secret : secrets)
                wipe(secret);
            if (guard)
                done(std::move(r));
            else
                r.tokens.wipe();
        });
}

void TokenClient::fetchAccount(const QUrl& apiBaseUrl,
    const QString& revision,
    const QByteArray& accessToken,
    QObject* context,
    AccountCallback done)
{
    QUrl url = apiBaseUrl;
    url.setPath(url.path() + QStringLiteral("/api/accounts"));
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_timeoutMs);
    QByteArray header = "Bearer " + accessToken;
    request.setRawHeader("Authorization", header);
    wipe(header);
    request.setRawHeader("revision", revision.toUtf8());
    request.setRawHeader("Accept", "application/vnd.api+json");
    QNetworkReply* reply = m_network->get(request);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [reply, url, guard, done = std::move(done)] {
        reply->deleteLater();
        AccountReply r;
        r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json
            = QJsonDocument::fromJson(reply->isOpen() ? reply->readAll() : QByteArray()).object();
        const QJsonObject account = json.value(QLatin1String("data")).toArray().at(0).toObject();
        if (r.httpStatus == 0) {
            r.message = describeNetworkError(reply, url);
        } else if (r.httpStatus == 401) {
            r.outcome = AccountReply::Unauthorized;
            r.message = QStringLiteral("Klaviyo did not accept the access token (HTTP 401)");
        } else if (r.httpStatus != 200) {
            const QString detail = json.value(QLatin1String("errors"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QLatin1String("detail"))
                                       .toString();
            r.message = QStringLiteral("GET /api/accounts answered HTTP %1%2")
                            .arg(r.httpStatus)
                            .arg(detail.isEmpty() ? QString() : QStringLiteral(": ") + redacted(detail, {}));
        } else if (account.value(QLatin1String("id")).toString().isEmpty()) {
            r.message = QStringLiteral("GET /api/accounts answered without an account");
        } else {
            r.outcome = AccountReply::Ok;
            r.accountId = account.value(QLatin1String("id")).toString();
            r.organizationName = account.value(QLatin1String("attributes"))
                                     .toObject()
                                     .value(QLatin1String("contact_information"))
                                     .toObject()
                                     .value(QLatin1String("organization_name"))
                                     .toString();
        }
        if (guard)
            done(std::move(r));
    });
}

} // namespace rbac
