#include "klaviyo/KlaviyoResponses.h"

#include "credentials/ApiKeyFormat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

namespace rbac::KlaviyoResponses {

namespace {

Status unexpected(const QString& why)
{
    return Status::error(ErrorKind::Environment,
        QStringLiteral("Klaviyo's answer to GET /api/accounts was not understood: %1").arg(why));
}

} // namespace

QString sanitize(const QString& text, int maxLength)
{
    static const QRegularExpression keyLike(QStringLiteral("pk_[A-Za-z0-9]{4,}"));
    QString clean;
    clean.reserve(text.size());
    for (const QChar c : text)
        clean.append(c.isPrint() ? c : QLatin1Char(' '));
    QRegularExpressionMatchIterator it = keyLike.globalMatch(clean);
    QString masked;
    qsizetype last = 0;
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        masked += clean.mid(last, m.capturedStart() - last);
        masked += ApiKeyFormat::masked(m.captured().right(4));
        last = m.capturedEnd();
    }
    masked += clean.mid(last);
    masked = masked.simplified();
    if (masked.size() > maxLength)
        masked = masked.left(maxLength) + QStringLiteral("\u2026");
    return masked;
}

Expected<KlaviyoAccount> parseAccounts(const QByteArray& body)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return unexpected(
            QStringLiteral("not JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return unexpected(QStringLiteral("the top level is not a JSON object"));
    const QJsonValue data = doc.object().value(QLatin1String("data"));
    if (!data.isArray())
        return unexpected(QStringLiteral("no \"data\" array"));
    const QJsonArray accounts = data.toArray();
    if (accounts.isEmpty())
        return unexpected(QStringLiteral("\"data\" lists no account"));
    if (!accounts.at(0).isObject())
        return unexpected(QStringLiteral("data[0] is not an object"));
    const QJsonObject account = accounts.at(0).toObject();
    if (account.value(QLatin1String("type")).toString() != QLatin1String("account"))
        return unexpected(QStringLiteral("data[0] is not of type \"account\""));
    const QJsonValue attributesValue = account.value(QLatin1String("attributes"));
    if (!attributesValue.isObject())
        return unexpected(QStringLiteral("data[0] has no \"attributes\" object"));
    const QJsonObject attributes = attributesValue.toObject();

    KlaviyoAccount out;
    const QJsonValue id = account.value(QLatin1String("id"));
    if (!id.isString() || id.toString().isEmpty())
        return unexpected(QStringLiteral("data[0] has no account id"));
    out.id = sanitize(id.toString(), 64);
    const QJsonValue publicKey = attributes.value(QLatin1String("public_api_key"));
    if (!publicKey.isString())
        return unexpected(QStringLiteral("the account has no public_api_key"));
    out.publicKey = sanitize(publicKey.toString(), 32);
    const QJsonValue test = attributes.value(QLatin1String("test_account"));
    if (!test.isBool())
        return unexpected(QStringLiteral("the account's test_account is not true or false"));
    out.testAccount = test.toBool();
    const QJsonValue contact = attributes.value(QLatin1String("contact_information"));
    const QJsonValue organization = contact.toObject().value(QLatin1String("organization_name"));
    if (!contact.isObject() || !organization.isString())
        return unexpected(QStringLiteral("the account has no contact_information.organization_name"));
    out.organizationName = sanitize(organization.toString(), 200);
    return out;
}

QString errorSummary(const QByteArray& body)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    const QJsonArray errors = doc.object().value(QLatin1String("errors")).toArray();
    if (errors.isEmpty() || !errors.at(0).isObject())
        return {};
    const QJsonObject first = errors.at(0).toObject();
    const QString title = first.value(QLatin1String("title")).toString();
    const QString detail = first.value(QLatin1String("detail")).toString();
    if (title.isEmpty() || detail.isEmpty() || title == detail)
        return sanitize(title.isEmpty() ? detail : title);
    return sanitize(title + QStringLiteral(": ") + detail);
}

std::optional<qint64> secondsFromThrottleDetail(const QByteArray& body)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    static const QRegularExpression pattern(QStringLiteral("Expected available in (\\d{1,7}) second"));
    const QJsonArray errors = doc.object().value(QLatin1String("errors")).toArray();
    for (const QJsonValue& e : errors) {
        const QRegularExpressionMatch m
            = pattern.match(e.toObject().value(QLatin1String("detail")).toString());
        if (m.hasMatch())
            return m.captured(1).toLongLong();
    }
    return std::nullopt;
}

std::optional<qint64> retryAfterSeconds(const QByteArray& header, const QDateTime& now)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? std::optional<qint64>(seconds) : std::nullopt;
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    const QDateTime when = QLocale::c().toDateTime(
        QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    QDateTime utc = when;
    utc.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, now.secsTo(utc));
}

} // namespace rbac::KlaviyoResponses
