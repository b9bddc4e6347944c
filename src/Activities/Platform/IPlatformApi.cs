using EventProcessor.Activities.Downstream;
using Refit;

namespace EventProcessor.Activities.Platform;

/// <summary>The platform's services (docs/platform-api.md); failures are mapped by <see cref="DownstreamHttpHandler"/>.</summary>
public interface IPlatformApi
{
    [Get("/api/projects/{uuid}")]
    Task<PlatformProject> GetProjectAsync(string uuid, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);

    [Get("/api/projects/{uuid}/reports")]
    Task<IReadOnlyList<PlatformReportSummary>> GetProjectReportsAsync(string uuid, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);

    [Get("/api/projects/{uuid}/users")]
    Task<IReadOnlyList<PlatformUser>> GetProjectUsersAsync(string uuid, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);

    [Get("/api/reports/{id}")]
    Task<PlatformReport> GetReportAsync(string id, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);

    /// <summary>The project linked to a Jira ticket; 404 (no link) is returned, not thrown, when the caller allows it.</summary>
    [Get("/api/tickets/{ticketKey}/project")]
    Task<ApiResponse<PlatformProject>> GetTicketProjectAsync(
        string ticketKey,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    [Get("/api/users/{userId}")]
    Task<PlatformUser> GetUserAsync(string userId, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);

    [Get("/api/accounts/{accountId}")]
    Task<PlatformAccount> GetAccountAsync(string accountId, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);

    /// <summary>Answers 202 with the job id; the platform deduplicates, so repeating it is safe.</summary>
    [Post("/api/reports/{id}/schema/sync")]
    Task<PlatformSyncJob> SyncReportSchemaAsync(string id, [Property(DownstreamRequest.OperationKey)] string operation, CancellationToken cancellationToken = default);
}
