using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Jira;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Support;

/// <summary>
/// Mirrors a Jira ticket into the HubSpot ticket keyed by <c>jira_ticket_key</c> (subject, status,
/// priority and link); an upsert, so repeating it leaves one ticket. Shared by TicketUpdated and TicketCreated.
/// </summary>
public static class HubSpotTicketSync
{
    public static Task<JiraIssueSummary> FetchIssueAsync(string ticketKey) =>
        Workflow.ExecuteActivityAsync(
                (JiraActivities a) => a.GetIssueAsync(ticketKey),
                ActivityProfiles.Jira($"Fetch Jira ticket {ticketKey}"))
            .OrFailWhenNotFoundAsync(Activities.Downstream.DownstreamApi.Jira, "TicketNotFound", $"Jira ticket {ticketKey} does not exist or is not visible to the API account");

    public static Task<HubSpotTicketResult> UpsertAsync(JiraIssueSummary issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["jira_url"] = issue.BrowseUrl };
        if (Priority(issue.Priority) is { } priority)
        {
            properties["hs_ticket_priority"] = priority;
        }

        var ticket = new HubSpotTicketUpsert(issue.Key, $"[{issue.Key}] {issue.Summary}", issue.Status, properties);
        return Workflow.ExecuteActivityAsync(
            (HubSpotActivities a) => a.UpsertTicketAsync(ticket),
            ActivityProfiles.HubSpot($"Upsert the HubSpot ticket of {issue.Key}"));
    }

    /// <summary>Jira's priority names to HubSpot's <c>hs_ticket_priority</c> values.</summary>
    internal static string? Priority(string? jiraPriority) => jiraPriority?.ToUpperInvariant() switch
    {
        "HIGHEST" or "BLOCKER" or "CRITICAL" => "URGENT",
        "HIGH" or "MAJOR" => "HIGH",
        "MEDIUM" => "MEDIUM",
        "LOW" or "LOWEST" or "MINOR" or "TRIVIAL" => "LOW",
        _ => null,
    };
}
