using Temporalio.Api.Common.V1;
using Temporalio.Api.Sdk.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>What a start (or signal-with-start) asks for, validated and defaulted.</summary>
internal sealed record StartParameters
{
    public required string WorkflowId { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public required string TaskQueue { get; init; }

    public required string RequestId { get; init; }

    public Payloads? Input { get; init; }

    public Header? Header { get; init; }

    public Memo? Memo { get; init; }

    public Dictionary<string, Payload?> SearchAttributes { get; init; } = [];

    public UserMetadata? UserMetadata { get; init; }

    public string Identity { get; init; } = string.Empty;

    public TimeSpan? ExecutionTimeout { get; init; }

    public TimeSpan? RunTimeout { get; init; }

    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public RetryPolicy? RetryPolicy { get; init; }

    public string? CronSchedule { get; init; }

    /// <summary>Set for a retry of a failed or timed-out run: its place in the chain of runs.</summary>
    public RetryLink? Retry { get; init; }

    /// <summary>For signal-with-start: the signal written right after the started event.</summary>
    public SignalParameters? Signal { get; init; }
}

/// <summary>How a retried run links to the run before it.</summary>
internal sealed record RetryLink(
    string RunId,
    int Attempt,
    string FirstExecutionRunId,
    string PreviousRunId,
    Temporalio.Api.Failure.V1.Failure Failure,
    TimeSpan Backoff,
    DateTimeOffset? ExecutionExpiration);

internal sealed record SignalParameters(string Name, Payloads? Input, Header? Header, string Identity, string RequestId);
