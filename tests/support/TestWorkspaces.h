#pragma once

#include "workspace/WorkspaceLocation.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace rbac::test {

// Hands out a fresh workspace location per call: an SQLite file under `dir`, or, when the test
// runs under tests/pg/with-postgres.sh (RBAC_TEST_PG_URI set), a new PostgreSQL database.
// The same test code then covers both engines.
class TestWorkspaces
{
public:
    explicit TestWorkspaces(QString dir)
        : m_dir(std::move(dir))
        , m_pgUri(qEnvironmentVariable("RBAC_TEST_PG_URI"))
    {
    }

    bool postgres() const { return !m_pgUri.isEmpty(); }

    QString next()
    {
        ++m_counter;
        if (!postgres())
            return m_dir + QStringLiteral("/ws%1.sqlite").arg(m_counter);
        const QString name
            = QStringLiteral("ws_%1_%2").arg(QCoreApplication::applicationPid()).arg(m_counter);
        const WorkspaceLocation maintenance = WorkspaceLocation::parse(m_pgUri).value();
        {
            QSqlDatabase db
                = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("test-maintenance"));
            db.setHostName(maintenance.host);
            db.setPort(maintenance.port);
            db.setDatabaseName(maintenance.database);
            db.setUserName(maintenance.user);
            if (!db.open())
                qFatal("cannot reach the test PostgreSQL: %s", qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("CREATE DATABASE %1").arg(name)))
                qFatal("CREATE DATABASE failed: %s", qPrintable(q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("test-maintenance"));
        QString uri = m_pgUri;
        uri.replace(QRegularExpression(QStringLiteral("/postgres$")), QLatin1Char('/') + name);
        return uri;
    }

private:
    QString m_dir;
    QString m_pgUri;
    int m_counter = 0;
};

} // namespace rbac::test
