using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Lookups;

/// <summary>
/// Reads of platform entities that the event workflows share. A 404 becomes a business failure in
/// the product's words ("Project … does not exist on the platform"): the event names something the
/// platform does not know, so no retry can help and the run says so.
/// </summary>
public static class PlatformLookups
{
    /// <param name="projectUuid">The project to read.</param>
    /// <param name="of">Whose project it is, for the failure (e.g. "ticket SUP-1"), when the event names it through something else.</param>
    public static Task<PlatformProject> ProjectAsync(string projectUuid, string? of = null) =>
        Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetProjectAsync(projectUuid),
                ActivityProfiles.Platform($"Fetch project {projectUuid}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ProjectNotFound", $"Project {projectUuid}{(of is null ? string.Empty : " of " + of)} does not exist on the platform");

    public static Task<IReadOnlyList<PlatformUser>> ProjectUsersAsync(string projectUuid) =>
        Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetProjectUsersAsync(projectUuid),
                ActivityProfiles.Platform($"Fetch the users of project {projectUuid}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ProjectNotFound", $"Project {projectUuid} does not exist on the platform");

    public static Task<IReadOnlyList<PlatformReportSummary>> ProjectReportsAsync(string projectUuid) =>
        Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetProjectReportsAsync(projectUuid),
                ActivityProfiles.Platform($"Fetch the reports of project {projectUuid}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ProjectNotFound", $"Project {projectUuid} does not exist on the platform");

    /// <summary>The platform project linked to a Jira ticket, or null when none is (the caller says what that means for its event).</summary>
    public static Task<PlatformProject?> TicketProjectAsync(string ticketKey) =>
        Workflow.ExecuteActivityAsync(
            (PlatformActivities a) => a.GetTicketProjectAsync(ticketKey),
            ActivityProfiles.Platform($"Find the platform project linked to {ticketKey}"));

    public static Task<PlatformReport> ReportAsync(string reportId) =>
        Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetReportAsync(reportId),
                ActivityProfiles.Platform($"Fetch report {reportId}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ReportNotFound", $"Report {reportId} does not exist on the platform");

    public static Task<PlatformUser> UserAsync(string userId) =>
        Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetUserAsync(userId),
                ActivityProfiles.Platform($"Fetch user {userId}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "UserNotFound", $"User {userId} does not exist on the platform");

    /// <param name="accountId">The account to read.</param>
    /// <param name="role">What the account is to the event (e.g. "previous owner"), for the step's summary and failure.</param>
    public static Task<PlatformAccount> AccountAsync(string accountId, string role) =>
        Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetAccountAsync(accountId),
                ActivityProfiles.Platform($"Fetch account {accountId} ({role})"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "AccountNotFound", $"Account {accountId} ({role}) does not exist on the platform");
}
