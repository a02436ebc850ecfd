#include "FakeKlaviyoServer.h"

#include "klaviyo/RatePacer.h"
#include "policy/ScopeCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QUrlQuery>

namespace rbac::test {

namespace {

QByteArray errorBody(int status, const QString& code, const QString& title, const QString& detail)
{
    const QJsonObject error {{QStringLiteral("id"), QStringLiteral("fake-error-id")},
        {QStringLiteral("status"), status}, {QStringLiteral("code"), code}, {QStringLiteral("title"), title},
        {QStringLiteral("detail"), detail},
        {QStringLiteral("source"), QJsonObject {{QStringLiteral("pointer"), QStringLiteral("/data/")}}}};
    return QJsonDocument(QJsonObject {{QStringLiteral("errors"), QJsonArray {error}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

FakeKlaviyoServer::FakeKlaviyoServer(QObject* parent)
    : QObject(parent)
{
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    m_stableRevision = catalog.stableRevision();
    m_betaRevision = catalog.betaRevision();
    for (const ScopeProbe& p : catalog.probes()) {
        // A path with an id stands for any id; requests never use the template itself.
        m_endpoints.insert(
            p.path, {p.scopes, p.channel == QLatin1String("beta"), {p.rateLimit.burst, p.rateLimit.steady}});
    }
    connect(&m_server, &QTcpServer::newConnection, this, &FakeKlaviyoServer::onConnection);
    m_clock.start();
}

FakeKlaviyoServer::~FakeKlaviyoServer() = default;

bool FakeKlaviyoServer::listen()
{
    return m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
}

QUrl FakeKlaviyoServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
}

void FakeKlaviyoServer::addKey(const QByteArray& key, const QStringList& scopes, const Account& account)
{
    m_keys.insert(key, {QSet<QString>(scopes.cbegin(), scopes.cend()), account});
}

void FakeKlaviyoServer::inject(const Injection& injection, int times)
{
    for (int i = 0; i < times; ++i)
        m_injections.push_back(injection);
}

int FakeKlaviyoServer::count(const QString& path) const
{
    int n = 0;
    for (const Request& r : m_requests)
        n += r.path == path ? 1 : 0;
    return n;
}

void FakeKlaviyoServer::clearLog()
{
    m_requests.clear();
    m_problems.clear();
}

void FakeKlaviyoServer::onConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void FakeKlaviyoServer::onReadyRead(QTcpSocket* socket)
{
    // Requests are GETs without a body: everything up to the blank line.
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        socket->setProperty("buffer", buffer);
        return;
    }
    socket->setProperty("buffer", QByteArray());
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    Request request;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    request.method = first.value(0);
    const QUrl url(QString::fromLatin1(first.value(1)));
    request.path = url.path();
    request.query = url.query(QUrl::FullyDecoded);
    request.atMs = m_clock.elapsed();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "authorization")
            request.authorization = value;
        else if (name == "revision")
            request.revision = value;
        else if (name == "accept")
            request.accept = value;
    }
    answer(socket, request);
}

bool FakeKlaviyoServer::overLimit(const QString& path, qint64 nowMs)
{
    const Endpoint endpoint = m_endpoints.value(path);
    std::deque<qint64>& sends = m_sends[path];
    const RateLimit limit {endpoint.limits.value(0), endpoint.limits.value(1), {}};
    for (const RatePacer::Window& w : RatePacer::windows(limit)) {
        qint64 inside = 0;
        for (const qint64 t : sends)
            inside += t > nowMs - w.lengthMs ? 1 : 0;
        if (inside >= w.count)
            return true;
    }
    sends.push_back(nowMs);
    return false;
}

void FakeKlaviyoServer::answer(QTcpSocket* socket, Request& request)
{
    if (request.method != "GET") {
        m_problems << QStringLiteral("%1 %2: only GET is expected")
                          .arg(QString::fromLatin1(request.method), request.path);
        return reply(socket, request, 405,
            errorBody(405, QStringLiteral("method_not_allowed"), QStringLiteral("Method not allowed"), {}));
    }
    if (!m_injections.empty()) {
        const Injection& next = m_injections.front();
        if (next.path.isEmpty() || next.path == request.path) {
            const Injection injection = next;
            m_injections.pop_front();
            if (injection.hang) {
                m_requests.append(request); // no answer; the client must time out
                return;
            }
            QByteArray headers = injection.headers;
            if (!injection.retryAfter.isEmpty())
                headers += "Retry-After: " + injection.retryAfter + "\r\n";
            QByteArray body = injection.body;
            if (body.isEmpty() && injection.status == 429)
                body = errorBody(429, QStringLiteral("throttled"), QStringLiteral("Request was throttled."),
                    QStringLiteral("Request was throttled. Expected available in 1 second."));
            else if (body.isEmpty())
                body = errorBody(injection.status, QStringLiteral("error"),
                    QStringLiteral("A server error occurred."), QStringLiteral("Injected by the test."));
            return reply(socket, request, injection.status, body, headers);
        }
    }
    const auto endpoint = m_endpoints.constFind(request.path);
    if (endpoint == m_endpoints.constEnd())
        return reply(socket, request, 404,
            errorBody(404, QStringLiteral("not_found"), QStringLiteral("Not found."), request.path));

    // The headers every request must carry (docs/klaviyo.md §6, §7).
    const QString expectedRevision = endpoint->beta ? m_betaRevision : m_stableRevision;
    if (request.revision != expectedRevision.toLatin1()) {
        m_problems << QStringLiteral("%1: revision '%2', expected '%3'")
                          .arg(request.path, QString::fromLatin1(request.revision), expectedRevision);
        return reply(socket, request, 400,
            errorBody(400, QStringLiteral("invalid"), QStringLiteral("Invalid revision"),
                QStringLiteral("The revision header is missing or not valid for this endpoint.")));
    }
    if (request.accept != "application/vnd.api+json")
        m_problems
            << QStringLiteral("%1: accept '%2'").arg(request.path, QString::fromLatin1(request.accept));
    const QByteArray scheme = "Klaviyo-API-Key ";
    if (!request.authorization.startsWith(scheme)) {
        m_problems << QStringLiteral("%1: authorization scheme is not Klaviyo-API-Key").arg(request.path);
        return reply(socket, request, 401,
            errorBody(401, QStringLiteral("not_authenticated"),
                QStringLiteral("Authentication credentials were not provided."),
                QStringLiteral("Missing or invalid authorization scheme. Please use Klaviyo-API-Key.")));
    }
    const auto key = m_keys.constFind(request.authorization.mid(scheme.size()));
    if (key == m_keys.constEnd())
        return reply(socket, request, 401,
            errorBody(401, QStringLiteral("not_authenticated"),
                QStringLiteral("Incorrect authentication credentials."),
                QStringLiteral("Incorrect authentication credentials.")));
    if (m_enforceLimits && overLimit(request.path, request.atMs))
        return reply(socket, request, 429,
            errorBody(429, QStringLiteral("throttled"), QStringLiteral("Request was throttled."),
                QStringLiteral("Request was throttled. Expected available in 1 second.")),
            "Retry-After: 1\r\n");
    for (const QString& scope : endpoint->scopes) {
        if (!key->first.contains(scope))
            return reply(socket, request, 403,
                errorBody(403, QStringLiteral("permission_denied"),
                    QStringLiteral("You do not have permission to perform this action."),
                    QStringLiteral("This API key is missing required scopes.")));
    }
    if (request.path == QLatin1String("/api/accounts")) {
        if (!m_accountsBody.isNull())
            return reply(socket, request, 200, m_accountsBody);
        const Account& a = key->second;
        const QJsonObject attributes {{QStringLiteral("test_account"), a.testAccount},
            {QStringLiteral("contact_information"),
                QJsonObject {{QStringLiteral("default_sender_name"), QStringLiteral("Fake")},
                    {QStringLiteral("default_sender_email"), QStringLiteral("shop@example.com")},
                    {QStringLiteral("organization_name"), a.organizationName}}},
            {QStringLiteral("timezone"), QStringLiteral("Europe/Berlin")},
            {QStringLiteral("preferred_currency"), QStringLiteral("EUR")},
            {QStringLiteral("public_api_key"), a.publicKey},
            {QStringLiteral("locale"), QStringLiteral("de-DE")}};
        const QJsonObject account {{QStringLiteral("type"), QStringLiteral("account")},
            {QStringLiteral("id"), a.id}, {QStringLiteral("attributes"), attributes}};
        return reply(socket, request, 200,
            QJsonDocument(QJsonObject {{QStringLiteral("data"), QJsonArray {account}},
                              {QStringLiteral("links"), QJsonObject {}}})
                .toJson(QJsonDocument::Compact));
    }
    reply(socket, request, 200, QByteArrayLiteral(R"({"data":[],"links":{"self":"x"}})"));
}

void FakeKlaviyoServer::reply(
    QTcpSocket* socket, Request& request, int status, const QByteArray& body, const QByteArray& extraHeaders)
{
    request.status = status;
    m_requests.append(request);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n"
        + "Content-Type: application/vnd.api+json\r\n" + "Content-Length: " + QByteArray::number(body.size())
        + "\r\n" + "Connection: close\r\n" + extraHeaders + "\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace rbac::test
