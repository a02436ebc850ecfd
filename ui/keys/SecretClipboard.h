#pragma once

#include <QObject>
#include <QTimer>

namespace rbac {

// Puts a secret on the clipboard marked for clipboard managers as a password (KDE's
// "x-kde-passwordManagerHint" = "secret", which Klipper and others honour by not keeping it in
// their history), and clears it after a while unless something else has been copied meanwhile.
class SecretClipboard : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultClearMs = 30000;

    explicit SecretClipboard(QObject* parent = nullptr);
    ~SecretClipboard() override;

    // Copies `secret` (the caller wipes its own buffer afterwards).
    void copy(const QByteArray& secret);
    void setClearAfterMs(int ms) { m_clearMs = ms; }
    int clearAfterMs() const { return m_clearMs; }
    // Whether the clipboard still holds what we put there.
    bool holdsSecret() const { return m_owned; }

signals:
    void cleared();

private:
    void onClipboardChanged();
    void clearIfOurs();

    QTimer m_timer;
    int m_clearMs = defaultClearMs;
    bool m_owned = false;
    bool m_setting = false;
};

} // namespace rbac
