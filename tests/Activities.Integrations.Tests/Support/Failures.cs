using Temporalio.Exceptions;

namespace EventProcessor.Activities.Integrations.Tests.Support;

/// <summary>One row of the HTTP failure mapping every client is checked against.</summary>
/// <param name="Status">Status the stub answers.</param>
/// <param name="Kind">Expected failure kind (the part after the API name in the error type).</param>
/// <param name="Retryable">Whether Temporal should retry.</param>
/// <param name="RetryAfterSeconds">Retry-After the stub sends, and the next retry delay expected.</param>
public sealed record FailureCase(int Status, string Kind, bool Retryable, int? RetryAfterSeconds = null)
{
    /// <summary>The statuses every integration maps the same way (DownstreamHttpHandler; docs/runbook.md lists the failures): 400, 401, 403, 404, 409, 429 with Retry-After, 500, 503.</summary>
    public static TheoryData<FailureCase> Standard() =>
    [
        new(400, "BadRequest", false),
        new(401, "Unauthorized", false),
        new(403, "Forbidden", false),
        new(404, "NotFound", false),
        new(409, "Conflict", false),
        new(429, "RateLimited", true, 7),
        new(500, "ServerError", true),
        new(503, "ServerError", true, 30),
    ];

    public override string ToString() => $"{Status} → {Kind}";
}

public static class Failures
{
    /// <summary>Runs <paramref name="call"/>, expecting a failure of <paramref name="type"/> with the given retry behaviour.</summary>
    public static async Task<ApplicationFailureException> ExpectAsync(Func<Task> call, string type, bool retryable, TimeSpan? nextRetryDelay = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(call);
        Assert.Equal(type, failure.ErrorType);
        Assert.Equal(!retryable, failure.NonRetryable);
        Assert.Equal(nextRetryDelay, failure.NextRetryDelay);
        return failure;
    }

    /// <summary>An error body in the API's own shape, and the text of it the failure message must carry.</summary>
    public static (string Body, string Message) ErrorBody(string api, int status) => api switch
    {
        "Algolia" => ($$"""{"message":"stub says {{status}}","status":{{status}}}""", $"stub says {status}"),
        "HubSpot" => ($$"""{"status":"error","message":"stub says {{status}}","correlationId":"0b5f1c1e-2b6a-4b0e-9d2f-8a2b1c3d4e5f","category":"VALIDATION_ERROR"}""", $"stub says {status}"),
        _ => ($"stub says {status}", $"stub says {status}"),
    };
}
