using Temporalio.Exceptions;

namespace EventProcessor.Activities.Downstream;

/// <summary>
/// Builds the Temporal failures every client raises. Retries belong to Temporal: a retryable
/// failure carries the server's requested delay as <c>nextRetryDelay</c>; a permanent one is
/// marked non-retryable so Temporal stops at once. Error types are <c>{Api}{Kind}</c>, e.g.
/// <c>JiraNotFound</c>, <c>HubSpotRateLimited</c>, so workflows and runbooks can match on them.
/// </summary>
public static class DownstreamFailure
{
    /// <summary>The error type for an API and failure kind, e.g. <c>JiraNotFound</c>.</summary>
    public static string ErrorType(DownstreamApi api, string kind) => $"{api}{kind}";

    /// <summary>
    /// A failure Temporal should retry, after <paramref name="nextRetryDelay"/> when the server asked for one.
    /// A zero or negative delay is dropped (the retry policy's backoff applies): Temporal would take
    /// it as a maximum interval of zero and stop retrying (see <see cref="RetryDelay"/>).
    /// </summary>
    public static ApplicationFailureException Retryable(DownstreamApi api, string kind, string message, TimeSpan? nextRetryDelay = null) =>
        new(message, ErrorType(api, kind), nonRetryable: false, nextRetryDelay: RetryDelay.Positive(nextRetryDelay));

    /// <summary>A failure that repeating cannot fix: Temporal stops retrying and the message reaches the run's failure.</summary>
    public static ApplicationFailureException Permanent(DownstreamApi api, string kind, string message) =>
        new(message, ErrorType(api, kind), nonRetryable: true);

    /// <summary>The failure kind for an HTTP status, e.g. 404 → <c>NotFound</c>.</summary>
    public static string KindOf(int status) => status switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        408 => "RequestTimeout",
        409 => "Conflict",
        413 => "PayloadTooLarge",
        422 => "Unprocessable",
        423 => "Locked",
        429 => "RateLimited",
        477 => "Migrating",
        >= 500 => "ServerError",
        _ => $"Http{status}",
    };
}
