#pragma once

#include "audit/AuditFilter.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QListWidget;
class QPushButton;
class QToolButton;

namespace rbac {

// The audit browser's filters, all combined: time range (presets or custom), actor, role, one or
// more actions, resource text, result, and free text over the details. Emits filterChanged() once
// the user pauses typing, at once for choices.
class AuditFilterBar : public QWidget
{
    Q_OBJECT

public:
    enum class TimePreset
    {
        AllTime,
        LastHour,
        LastDay,
        LastWeek,
        LastMonth,
        Custom,
    };

    explicit AuditFilterBar(QWidget* parent = nullptr);

    // Presets are measured back from Clock::nowUtc() when the filter is read.
    AuditFilter filter() const;
    void setTimePreset(TimePreset preset);
    void setCustomRange(const QDateTime& since, const QDateTime& until);
    // The values offered in the actor, role and action choosers (the log's distinct values).
    void setFacets(const QStringList& actors, const QStringList& roles, const QStringList& actions);
    void setActions(const QStringList& actions);
    QStringList selectedActions() const;

public slots:
    void clear();
    void focusText();

signals:
    void filterChanged(const rbac::AuditFilter& filter);

private:
    void changed();
    void changedSoon();
    void updateActionsLabel();
    void updateTimeEdits();

    QComboBox* m_preset;
    QDateTimeEdit* m_since;
    QDateTimeEdit* m_until;
    QComboBox* m_actor;
    QComboBox* m_role;
    QToolButton* m_actionsButton;
    QListWidget* m_actions;
    QLineEdit* m_resource;
    QComboBox* m_result;
    QLineEdit* m_text;
    QPushButton* m_clear;
    QTimer m_typing;
    bool m_quiet = false;
};

} // namespace rbac
