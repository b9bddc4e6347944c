using Microsoft.Extensions.Options;
using Temporalio.Activities;

namespace EventProcessor.Activities.Configuration;

/// <summary>
/// The part of the <c>Notifications</c> configuration that workflows decide with (who is internal,
/// who is on call, which Jira projects and fields to write). Workflows read it through a local
/// activity so the values a run decided with are recorded in its history: a configuration change
/// later never makes an old run replay differently.
/// </summary>
public sealed record NotificationPolicy(
    IReadOnlyList<string> InternalDomains,
    IReadOnlyList<string> OnCallEmails,
    string LeadProjectKey,
    string IncidentProjectKey,
    string SupportProjectKey,
    string IssueTypeName,
    ProjectFieldMap ProjectFields);

/// <summary>Activities that hand configuration to workflows.</summary>
public sealed class SettingsActivities(IOptions<NotificationsOptions> options)
{
    [Activity]
    public NotificationPolicy GetNotificationPolicy()
    {
        var settings = options.Value;
        return new NotificationPolicy(
            settings.InternalDomains,
            settings.OnCallEmails,
            settings.LeadProjectKey,
            settings.IncidentProjectKey,
            settings.SupportProjectKey,
            settings.IssueTypeName,
            settings.ProjectFields);
    }
}
