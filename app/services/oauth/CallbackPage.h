#pragma once

#include <QByteArray>
#include <QString>

namespace rbac::CallbackPage {

// The small page the browser shows after the redirect. Every string is HTML-escaped: the message
// may carry what the authorization server put into error_description.
QByteArray html(bool success, const QString& title, const QString& message);

// A complete HTTP/1.1 response: Content-Length, Connection: close, no caching, no referrer (the
// callback URL holds the code) and a CSP that allows nothing but inline style.
QByteArray response(int status, const QByteArray& body, const QByteArray& extraHeaders = {});

QByteArray reasonPhrase(int status);

} // namespace rbac::CallbackPage
