#include "oauth/CallbackPage.h"

namespace rbac::CallbackPage {

QByteArray html(bool success, const QString& title, const QString& message)
{
    const QString accent = success ? QStringLiteral("#1a7f37") : QStringLiteral("#b42318");
    const QString page = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                        "<title>%1 - Klaviyo RBAC Console</title>"
                                        "<style>body{font-family:sans-serif;margin:3em auto;max-width:36em;"
                                        "color:#222}h1{color:%3;font-size:1.4em}</style></head>"
                                        "<body><h1 id=\"result\" data-success=\"%4\">%1</h1><p>%2</p>"
                                        "<p>You can close this window and return to the console.</p>"
                                        "</body></html>\n")
                             .arg(title.toHtmlEscaped(), message.toHtmlEscaped(), accent,
                                 success ? QStringLiteral("true") : QStringLiteral("false"));
    return page.toUtf8();
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray response(int status, const QByteArray& body, const QByteArray& extraHeaders)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: text/html; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n";
    out += "Cache-Control: no-store\r\n";
    out += "Referrer-Policy: no-referrer\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    out += "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n";
    out += extraHeaders;
    out += "\r\n";
    out += body;
    return out;
}

} // namespace rbac::CallbackPage
