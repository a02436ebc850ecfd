#pragma once

#include <QString>

#include <utility>

namespace rbac {

// Why an operation failed; the CLI maps these to its exit codes.
enum class ErrorKind
{
    None,
    InvalidInput, // bad arguments, files or names: exit 2
    NotFound,     // a named role/permission does not exist: exit 2
    Conflict,     // duplicate name, still referenced: exit 2
    Environment,  // database locked/unreadable, keychain, network: exit 3
};

class [[nodiscard]] Status
{
public:
    Status() = default;
    static Status ok() { return {}; }
    static Status error(ErrorKind kind, QString message) { return Status(kind, std::move(message)); }

    bool isOk() const { return m_kind == ErrorKind::None; }
    explicit operator bool() const { return isOk(); }
    ErrorKind kind() const { return m_kind; }
    const QString& message() const { return m_message; }

private:
    Status(ErrorKind kind, QString message)
        : m_kind(kind)
        , m_message(std::move(message))
    {
    }
    ErrorKind m_kind = ErrorKind::None;
    QString m_message;
};

// A value or the Status that explains why there is none.
template<typename T> class [[nodiscard]] Expected
{
public:
    Expected(T value)
        : m_value(std::move(value))
    {
    }
    Expected(Status status)
        : m_status(std::move(status))
    {
        Q_ASSERT(!m_status.isOk());
    }

    bool isOk() const { return m_status.isOk(); }
    explicit operator bool() const { return isOk(); }
    const Status& status() const { return m_status; }
    T& value() { return m_value; }
    const T& value() const { return m_value; }
    T* operator->() { return &m_value; }
    const T* operator->() const { return &m_value; }
    T& operator*() { return m_value; }
    const T& operator*() const { return m_value; }

private:
    T m_value {};
    Status m_status;
};

} // namespace rbac
