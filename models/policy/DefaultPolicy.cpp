#include "policy/DefaultPolicy.h"

#include <QCoreApplication>

namespace rbac {

namespace {

Permission permission(const char* name, const char* description, QStringList operations)
{
    operations.sort();
    return {
        QString::fromLatin1(name), QCoreApplication::translate("DefaultPolicy", description), operations, {}};
}

Role role(const char* name, const char* description, QStringList permissions)
{
    permissions.sort();
    return {{}, QString::fromLatin1(name), QCoreApplication::translate("DefaultPolicy", description),
        permissions};
}

} // namespace

Policy defaultPolicy()
{
    Policy policy;
    policy.permissions = {
        permission("canReadProfiles", QT_TRANSLATE_NOOP("DefaultPolicy", "Look up and list profiles"),
            {"get_profiles", "get_profile"}),
        permission("canWriteProfiles", QT_TRANSLATE_NOOP("DefaultPolicy", "Create and update profiles"),
            {"create_profile", "update_profile", "create_or_update_profile"}),
        permission("canDeleteProfiles",
            QT_TRANSLATE_NOOP("DefaultPolicy", "Request deletion of a profile (data privacy)"),
            {"request_profile_deletion"}),
        permission("canSendCampaigns", QT_TRANSLATE_NOOP("DefaultPolicy", "Create, edit and send campaigns"),
            {"get_campaigns", "get_campaign", "create_campaign", "update_campaign", "send_campaign",
                "get_campaign_send_job"}),
        permission("canManageLists", QT_TRANSLATE_NOOP("DefaultPolicy", "Create, rename and delete lists"),
            {"get_lists", "get_list", "create_list", "update_list", "delete_list"}),
        permission("canTrackEvents",
            QT_TRANSLATE_NOOP("DefaultPolicy", "Send events, one at a time or in bulk"),
            {"create_event", "bulk_create_events"}),
        permission("canViewReports",
            QT_TRANSLATE_NOOP("DefaultPolicy", "Campaign and flow reports, metric aggregates"),
            {"query_campaign_values", "query_flow_values", "query_metric_aggregates", "get_metrics"}),
        permission("canManageWebhooks",
            QT_TRANSLATE_NOOP("DefaultPolicy", "List, create, edit and delete webhooks"),
            {"get_webhooks", "get_webhook", "create_webhook", "update_webhook", "delete_webhook",
                "get_webhook_topics"}),
    };
    const QStringList all = {"canReadProfiles", "canWriteProfiles", "canDeleteProfiles", "canSendCampaigns",
        "canManageLists", "canTrackEvents", "canViewReports", "canManageWebhooks"};
    policy.roles = {
        role("admin", QT_TRANSLATE_NOOP("DefaultPolicy", "Full access"), all),
        role("marketer", QT_TRANSLATE_NOOP("DefaultPolicy", "Runs campaigns and lists, reads reports"),
            {"canReadProfiles", "canSendCampaigns", "canManageLists", "canViewReports"}),
        role("developer", QT_TRANSLATE_NOOP("DefaultPolicy", "Builds integrations; cannot send or delete"),
            {"canReadProfiles", "canWriteProfiles", "canManageLists", "canTrackEvents", "canViewReports",
                "canManageWebhooks"}),
        role("viewer", QT_TRANSLATE_NOOP("DefaultPolicy", "Read-only: profiles and reports"),
            {"canReadProfiles", "canViewReports"}),
        role("service", QT_TRANSLATE_NOOP("DefaultPolicy", "Back-end service that syncs profiles and events"),
            {"canReadProfiles", "canWriteProfiles", "canTrackEvents"}),
    };
    return policy;
}

} // namespace rbac
