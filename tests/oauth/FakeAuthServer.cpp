#include "FakeAuthServer.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

namespace rbac::test {

namespace {

QString value(const QUrlQuery& q, const char* key)
{
    return q.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
}

// application/x-www-form-urlencoded: '+' is a space, then percent-decoding.
QUrlQuery parseForm(QByteArray body)
{
    body.replace('+', "%20");
    return QUrlQuery(QString::fromLatin1(body));
}

} // namespace

FakeAuthServer::FakeAuthServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    clientSecret = issue("cs");
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            m_buffers.insert(socket, {});
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

FakeAuthServer::~FakeAuthServer()
{
    for (const QPointer<QTcpSocket>& s : std::as_const(m_hanging)) {
        if (s)
            s->abort();
    }
}

bool FakeAuthServer::listen()
{
    return m_server->listen(QHostAddress(QHostAddress::LocalHost), 0);
}

QUrl FakeAuthServer::url(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->serverPort()).arg(path));
}

QList<QByteArray> FakeAuthServer::secrets() const
{
    return QList<QByteArray> {clientSecret} + m_seen;
}

QByteArray FakeAuthServer::issue(const char* prefix)
{
    QByteArray random(24, Qt::Uninitialized);
    for (char& c : random)
        c = char(QRandomGenerator::global()->bounded(256));
    QByteArray token = QByteArray(prefix) + '-'
        + random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_seen << token;
    return token;
}

void FakeAuthServer::onReadyRead(QTcpSocket* socket)
{
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    Request r;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QList<QByteArray> first = lines.constFirst().trimmed().split(' ');
    if (first.size() != 3)
        return respond(socket, 400, "{}");
    r.method = first.at(0);
    const QByteArray target = first.at(1);
    const qsizetype q = target.indexOf('?');
    r.path = q < 0 ? target : target.left(q);
    r.query = q < 0 ? QByteArray() : target.mid(q + 1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            r.headers.insert(
                lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype length = r.headers.value("content-length", "0").toLongLong();
    if (buffer.size() < end + 4 + length)
        return; // the body is still coming
    r.body = buffer.mid(end + 4, length);
    buffer.clear();
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    handle(socket, r);
}

void FakeAuthServer::handle(QTcpSocket* socket, const Request& r)
{
    const QString route = QString::fromLatin1(r.method + ' ' + r.path);
    ++m_counts[route];
    m_log << route;
    if (r.path == "/oauth/authorize" && r.method == "GET")
        return authorize(socket, r);
    if (r.path == "/oauth/token" && r.method == "POST")
        return token(socket, r);
    if (r.path == "/oauth/revoke" && r.method == "POST")
        return revoke(socket, r);
    if (r.path == "/api/accounts" && r.method == "GET")
        return accounts(socket, r);
    if (r.path == "/redirect") // a hop that would take a secret-carrying request elsewhere
        return respond(socket, 307, "{}", "application/json", "Location: " + tokenUrl().toEncoded() + "\r\n");
    respond(socket, 404, "{}");
}

void FakeAuthServer::authorize(QTcpSocket* socket, const Request& r)
{
    const QUrlQuery q(QString::fromLatin1(r.query));
    // Unknown client or redirect URI: never redirect (RFC 6749 §4.1.2.1), show an error page.
    if (value(q, "client_id") != clientId || value(q, "redirect_uri") != redirectUri) {
        m_log
            << QStringLiteral("authorize: unknown client or redirect_uri '%1'").arg(value(q, "redirect_uri"));
        return respond(socket, 400, "<h1>invalid client or redirect_uri</h1>", "text/html");
    }
    const QByteArray state = value(q, "state").toUtf8();
    m_seen << state;
    QUrl target(redirectUri);
    QUrlQuery back;
    const auto redirect = [&] {
        target.setQuery(back);
        respond(socket, 302, {}, "text/html", "Location: " + target.toEncoded() + "\r\n");
    };
    const QStringList scopes = value(q, "scope").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    m_lastScope = value(q, "scope");
    QString problem;
    if (value(q, "response_type") != QLatin1String("code"))
        problem = QStringLiteral("response_type must be code");
    else if (!scopes.contains(QLatin1String("accounts:read")))
        problem = QStringLiteral("accounts:read is required");
    else if (value(q, "code_challenge_method") != QLatin1String("S256"))
        problem = QStringLiteral("PKCE S256 is required");
    else if (value(q, "code_challenge").size() != 43)
        problem = QStringLiteral("code_challenge must be 43 characters");
    else if (state.size() < 32)
        problem = QStringLiteral("state too short");
    if (!problem.isEmpty()) {
        m_log << QStringLiteral("authorize: ") + problem;
        back.addQueryItem(QStringLiteral("error"), QStringLiteral("invalid_request"));
        back.addQueryItem(QStringLiteral("error_description"), problem);
        back.addQueryItem(QStringLiteral("state"), QString::fromUtf8(state));
        return redirect();
    }
    if (denyConsent) {
        back.addQueryItem(QStringLiteral("error"), QStringLiteral("access_denied"));
        back.addQueryItem(QStringLiteral("error_description"), QStringLiteral("The user denied <access>"));
        back.addQueryItem(QStringLiteral("state"), QString::fromUtf8(state));
        return redirect();
    }
    const QByteArray code = issue("code");
    m_lastCode = code;
    m_codes.insert(code, {redirectUri, value(q, "code_challenge").toLatin1(), scopes, false});
    back.addQueryItem(QStringLiteral("code"), QString::fromLatin1(code));
    back.addQueryItem(QStringLiteral("state"), QString::fromUtf8(state));
    redirect();
}

bool FakeAuthServer::clientAuthenticated(QTcpSocket* socket, const Request& r)
{
    const QUrlQuery form = parseForm(r.body);
    // One method only: credentials in the body as well are refused (as AD FS did for ownCloud).
    if (form.hasQueryItem(QStringLiteral("client_secret"))
        || form.hasQueryItem(QStringLiteral("client_id"))) {
        oauthError(
            socket, 400, QStringLiteral("invalid_request"), QStringLiteral("use one client authentication"));
        return false;
    }
    const QByteArray expected = "Basic " + (clientId.toUtf8() + ':' + clientSecret).toBase64();
    if (r.headers.value("authorization") != expected) {
        oauthError(
            socket, 401, QStringLiteral("invalid_client"), QStringLiteral("Client authentication failed"));
        return false;
    }
    return true;
}

void FakeAuthServer::token(QTcpSocket* socket, const Request& r)
{
    if (hangTokenEndpoint) {
        m_hanging << socket;
        return;
    }
    if (!r.headers.value("content-type").startsWith("application/x-www-form-urlencoded"))
        return oauthError(
            socket, 400, QStringLiteral("invalid_grant_type"), QStringLiteral("body must be a form"));
    if (!clientAuthenticated(socket, r))
        return;
    const QUrlQuery form = parseForm(r.body);
    const QString grant = value(form, "grant_type");
    QStringList granted;
    if (grant == QLatin1String("authorization_code")) {
        const QByteArray code = value(form, "code").toUtf8();
        const QByteArray verifier = value(form, "code_verifier").toUtf8();
        m_seen << verifier;
        auto it = m_codes.find(code);
        if (it == m_codes.end())
            // Echoes the code back, as a careless server might: the client must not repeat it.
            return oauthError(socket, 400, QStringLiteral("invalid_grant"),
                QStringLiteral("unknown code %1").arg(QString::fromUtf8(code)));
        if (it->used)
            return oauthError(
                socket, 400, QStringLiteral("invalid_grant"), QStringLiteral("code already used"));
        it->used = true;
        if (value(form, "redirect_uri") != it->redirectUri)
            return oauthError(
                socket, 400, QStringLiteral("invalid_grant"), QStringLiteral("redirect_uri mismatch"));
        const QByteArray challenge
            = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                  .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        if (verifier.size() < 43 || verifier.size() > 128 || challenge != it->challenge)
            return oauthError(
                socket, 400, QStringLiteral("invalid_grant"), QStringLiteral("invalid code verifier"));
        granted = it->scopes;
    } else if (grant == QLatin1String("refresh_token")) {
        const QByteArray refresh = value(form, "refresh_token").toUtf8();
        if (refuseRefresh || !m_refresh.contains(refresh))
            return oauthError(
                socket, 400, QStringLiteral("invalid_grant"), QStringLiteral("refresh token is invalid"));
        granted = m_refresh.value(refresh);
        if (rotateRefreshTokens)
            m_refresh.remove(refresh);
    } else {
        return oauthError(socket, 400, QStringLiteral("unsupported_grant_type"), grant);
    }
    for (const QString& s : std::as_const(withheldScopes))
        granted.removeAll(s);
    const QByteArray access = issue("at");
    m_access.insert(access);
    m_lastAccess = access;
    QJsonObject answer {{QStringLiteral("access_token"), QString::fromLatin1(access)},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")}, {QStringLiteral("expires_in"), expiresIn},
        {QStringLiteral("scope"), granted.join(QLatin1Char(' '))}};
    if (grant == QLatin1String("authorization_code") || rotateRefreshTokens) {
        const QByteArray refresh = issue("rt");
        m_refresh.insert(refresh, granted);
        m_lastRefresh = refresh;
        answer.insert(QStringLiteral("refresh_token"), QString::fromLatin1(refresh));
    }
    respond(socket, 200, QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

void FakeAuthServer::revoke(QTcpSocket* socket, const Request& r)
{
    if (failRevoke)
        return respond(socket, 503, "{}");
    if (!clientAuthenticated(socket, r))
        return;
    const QUrlQuery form = parseForm(r.body);
    if (value(form, "token_type_hint") != QLatin1String("refresh_token"))
        return oauthError(socket, 400, QStringLiteral("invalid_request"), QStringLiteral("token_type_hint"));
    m_refresh.remove(value(form, "token").toUtf8());
    m_log << QStringLiteral("revoked");
    respond(socket, 200, "{\"success\":true}");
}

void FakeAuthServer::accounts(QTcpSocket* socket, const Request& r)
{
    if (r.headers.value("revision").isEmpty())
        return respond(socket, 400,
            R"({"errors":[{"id":"1","code":"invalid","title":"x","detail":"revision header missing"}]})");
    const QByteArray auth = r.headers.value("authorization");
    if (!auth.startsWith("Bearer ") || !m_access.contains(auth.mid(7)))
        return respond(socket, 401,
            R"({"errors":[{"id":"1","status":401,"code":"not_authenticated","title":"Authentication credentials were not provided.","detail":"Missing or invalid access token."}]})");
    const QJsonObject account {{QStringLiteral("type"), QStringLiteral("account")},
        {QStringLiteral("id"), QStringLiteral("01FAKEACCOUNT")},
        {QStringLiteral("attributes"),
            QJsonObject {{QStringLiteral("test_account"), true},
                {QStringLiteral("contact_information"),
                    QJsonObject {{QStringLiteral("organization_name"), organizationName}}}}}};
    respond(socket, 200,
        QJsonDocument(QJsonObject {{QStringLiteral("data"), QJsonArray {account}}})
            .toJson(QJsonDocument::Compact),
        "application/vnd.api+json");
}

void FakeAuthServer::oauthError(
    QTcpSocket* socket, int status, const QString& error, const QString& description)
{
    m_log << QStringLiteral("error %1: %2").arg(error, description);
    respond(socket, status,
        QJsonDocument(QJsonObject {{QStringLiteral("error"), error},
                          {QStringLiteral("error_description"), description}})
            .toJson(QJsonDocument::Compact));
}

void FakeAuthServer::respond(QTcpSocket* socket,
    int status,
    const QByteArray& body,
    const QByteArray& contentType,
    const QByteArray& extraHeaders)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n"
        + extraHeaders + "\r\n" + body;
    socket->write(out);
    socket->disconnectFromHost();
}

} // namespace rbac::test
