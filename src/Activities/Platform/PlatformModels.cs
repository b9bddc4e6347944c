using System.Text.Json;

namespace EventProcessor.Activities.Platform;

// Shapes of the platform API (docs/platform-api.md). They are also the activities' results.

/// <summary>Subscription topics a platform user can hold.</summary>
public static class PlatformTopics
{
    public const string TicketComments = "ticketComments";
    public const string RunFailures = "runFailures";
    public const string DeliveryFailures = "deliveryFailures";
    public const string ProjectAccess = "projectAccess";
    public const string ProductUpdates = "productUpdates";

    /// <summary>
    /// The one subscription rule: topics match whatever their case, so every notification agrees on
    /// who is subscribed (the platform does not promise the case it stores).
    /// </summary>
    public static bool Holds(IEnumerable<string>? subscriptions, string topic) =>
        subscriptions?.Contains(topic, StringComparer.OrdinalIgnoreCase) == true;
}

/// <summary><c>metadata</c> is free-form JSON, passed on as it is (e.g. to Algolia).</summary>
public sealed record PlatformProject(
    string Uuid,
    string Name,
    string Status,
    string AccountId,
    string? OwnerEmail,
    string? Plan,
    DateTimeOffset UpdatedAt,
    JsonElement? Metadata);

/// <summary>An item of <c>GET /api/projects/{uuid}/reports</c>.</summary>
public sealed record PlatformReportSummary(string Id, string Name, string Status, DateTimeOffset UpdatedAt);

public sealed record PlatformReport(string Id, string ProjectUuid, string Name, string Status, DateTimeOffset UpdatedAt);

/// <summary>A platform user; <c>Email</c> may be missing and then the user cannot be mailed.</summary>
public sealed record PlatformUser(string UserId, string? Email, string? Name, IReadOnlyList<string>? Subscriptions)
{
    public bool IsSubscribedTo(string topic) => PlatformTopics.Holds(Subscriptions, topic);
}

public sealed record PlatformAccount(string AccountId, string Name, string? OwnerEmail);

/// <summary>Answer of <c>POST /api/reports/{id}/schema/sync</c> (202).</summary>
public sealed record PlatformSyncJob(string JobId);
