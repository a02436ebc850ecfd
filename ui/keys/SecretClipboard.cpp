#include "keys/SecretClipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>

namespace rbac {

SecretClipboard::SecretClipboard(QObject* parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SecretClipboard::clearIfOurs);
    connect(
        QGuiApplication::clipboard(), &QClipboard::dataChanged, this, &SecretClipboard::onClipboardChanged);
}

SecretClipboard::~SecretClipboard()
{
    // Leaving (page closed, console quitting) within the 30 s: do not leave the key behind.
    clearIfOurs();
}

void SecretClipboard::copy(const QByteArray& secret)
{
    auto* data = new QMimeData;
    data->setText(QString::fromLatin1(secret));
    data->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    m_setting = true;
    QGuiApplication::clipboard()->setMimeData(data, QClipboard::Clipboard);
    m_setting = false;
    m_owned = true;
    m_timer.start(m_clearMs);
}

void SecretClipboard::onClipboardChanged()
{
    // Someone copied something else: that is theirs now, never clear it.
    if (!m_setting)
        m_owned = false;
}

void SecretClipboard::clearIfOurs()
{
    m_timer.stop();
    if (!m_owned)
        return;
    m_owned = false;
    m_setting = true;
    QGuiApplication::clipboard()->clear(QClipboard::Clipboard);
    m_setting = false;
    emit cleared();
}

} // namespace rbac
