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

    /// <summary>Set for a child workflow (and the runs its chain continues into): the parent to report the close to.</summary>
    public ParentLink? Parent { get; init; }

    /// <summary>For signal-with-start: the signal written right after the started event.</summary>
    public SignalParameters? Signal { get; init; }
}

/// <summary>How a retried or continued-as-new run links to the run before it.</summary>
internal sealed record RetryLink(
    string RunId,
    int Attempt,
    string FirstExecutionRunId,
    string PreviousRunId,
    Temporalio.Api.Failure.V1.Failure? Failure,
    TimeSpan Backoff,
    DateTimeOffset? ExecutionExpiration)
{
    public Temporalio.Api.Enums.V1.ContinueAsNewInitiator Initiator { get; init; } = Temporalio.Api.Enums.V1.ContinueAsNewInitiator.Retry;

    public Payloads? LastCompletionResult { get; init; }
}

internal sealed record SignalParameters(string Name, Payloads? Input, Header? Header, string Identity, string RequestId)
{
    /// <summary>The run that sent the signal with a SignalExternalWorkflowExecution command.</summary>
    public Temporalio.Api.Common.V1.WorkflowExecution? External { get; init; }
}

/// <summary>A child's parent: where the child's close is reported and what becomes of the child when the parent closes.</summary>
internal sealed record ParentLink(
    string Namespace,
    string NamespaceId,
    Temporalio.Api.Common.V1.WorkflowExecution Execution,
    long InitiatedEventId,
    Temporalio.Api.Enums.V1.ParentClosePolicy ClosePolicy,
    Temporalio.Api.Common.V1.WorkflowExecution RootExecution);
