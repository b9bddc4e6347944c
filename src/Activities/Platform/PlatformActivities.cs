using System.Net;
using Temporalio.Activities;

namespace EventProcessor.Activities.Platform;

/// <summary>
/// Reads from the platform's services, plus the schema sync the platform itself deduplicates:
/// every activity here is safe to run twice.
/// </summary>
public sealed class PlatformActivities(IPlatformApi platform)
{
    private static CancellationToken Cancellation => ActivityExecutionContext.Current.CancellationToken;

    [Activity]
    public Task<PlatformProject> GetProjectAsync(string projectUuid) =>
        platform.GetProjectAsync(projectUuid, $"fetch project {projectUuid}", Cancellation);

    [Activity]
    public Task<IReadOnlyList<PlatformReportSummary>> GetProjectReportsAsync(string projectUuid) =>
        platform.GetProjectReportsAsync(projectUuid, $"fetch the reports of project {projectUuid}", Cancellation);

    [Activity]
    public Task<IReadOnlyList<PlatformUser>> GetProjectUsersAsync(string projectUuid) =>
        platform.GetProjectUsersAsync(projectUuid, $"fetch the users of project {projectUuid}", Cancellation);

    [Activity]
    public Task<PlatformReport> GetReportAsync(string reportId) =>
        platform.GetReportAsync(reportId, $"fetch report {reportId}", Cancellation);

    /// <summary>The project linked to the Jira ticket, or null when the ticket is linked to none (404).</summary>
    [Activity]
    public async Task<PlatformProject?> GetTicketProjectAsync(string ticketKey)
    {
        using var response = await platform.GetTicketProjectAsync(
            ticketKey, [(int)HttpStatusCode.NotFound], $"fetch the project linked to ticket {ticketKey}", Cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        // A 2xx whose body could not be read must fail the activity, not pass for "no project".
        return response.Error is { } unreadable ? throw unreadable : response.Content;
    }

    [Activity]
    public Task<PlatformUser> GetUserAsync(string userId) =>
        platform.GetUserAsync(userId, $"fetch user {userId}", Cancellation);

    [Activity]
    public Task<PlatformAccount> GetAccountAsync(string accountId) =>
        platform.GetAccountAsync(accountId, $"fetch account {accountId}", Cancellation);

    /// <summary>Starts the platform's sync of a generated report schema; returns the platform's job id.</summary>
    [Activity]
    public async Task<string> SyncReportSchemaAsync(string reportId) =>
        (await platform.SyncReportSchemaAsync(reportId, $"sync the generated schema of report {reportId}", Cancellation)).JobId;
}
