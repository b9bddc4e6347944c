using EventProcessor.Events.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// One event in, one workflow run out: validates the event, then starts (or finds) its run within
/// the caller's deadline. Shared by the Lambda runtime loop and the HTTP intake so both behave
/// the same. The raw event is never logged: some details carry secrets (password reset links).
/// </summary>
public sealed partial class TriggerHandler
{
    private readonly EventParser parser;
    private readonly IWorkflowStarter starter;
    private readonly TimeSpan startMargin;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public TriggerHandler(EventParser parser, IWorkflowStarter starter, TimeSpan startMargin, ILogger<TriggerHandler>? logger = null, TimeProvider? time = null)
    {
        this.parser = parser ?? throw new ArgumentNullException(nameof(parser));
        this.starter = starter ?? throw new ArgumentNullException(nameof(starter));
        this.startMargin = startMargin;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<TriggerHandler>.Instance;
    }

    /// <summary>Validates one event; a poison event is logged and thrown.</summary>
    /// <exception cref="EventValidationException">The event can never succeed.</exception>
    public ParsedEvent Validate(ReadOnlyMemory<byte> eventJson)
    {
        try
        {
            return parser.Parse(eventJson);
        }
        catch (EventValidationException e)
        {
            LogPoison(logger, e.EventId, e.DetailType, e.Code, e.Message);
            throw;
        }
    }

    /// <inheritdoc cref="StartAsync"/>
    /// <exception cref="EventValidationException">The event can never succeed.</exception>
    public Task<WorkflowStartResult> HandleAsync(ReadOnlyMemory<byte> eventJson, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        StartAsync(Validate(eventJson), deadline, cancellationToken);

    /// <summary>Starts the event's workflow, giving up <c>Temporal:StartMarginMilliseconds</c> before <paramref name="deadline"/>.</summary>
    /// <exception cref="WorkflowNotStartedException">Temporal unavailable, too slow or refusing: retry later.</exception>
    public async Task<WorkflowStartResult> StartAsync(ParsedEvent parsedEvent, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsedEvent);
        var budget = deadline - startMargin - time.GetUtcNow();
        if (budget <= TimeSpan.Zero)
        {
            throw NotStarted(parsedEvent, $"no time is left before the deadline {deadline:O} (margin {startMargin.TotalMilliseconds:F0} ms)");
        }

        using var timeout = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        WorkflowStartResult result;
        try
        {
            // WaitAsync: a connection attempt that ignores the token must not hold the caller past its deadline.
            result = await starter.StartAsync(parsedEvent, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (the host is stopping): it decides what that means.
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw NotStarted(parsedEvent, $"Temporal did not answer within {budget.TotalMilliseconds:F0} ms (the deadline {deadline:O} minus a {startMargin.TotalMilliseconds:F0} ms margin)");
        }
        catch (WorkflowNotStartedException e)
        {
            LogNotStarted(logger, parsedEvent.Envelope.Id, parsedEvent.WorkflowId, e.Message);
            throw;
        }
        catch (Exception e)
        {
            // Anything else the start path throws (the SDK reports a call that failed without a gRPC
            // status as InvalidOperationException; a cancellation that was neither ours nor the
            // caller's) leaves the outcome unknown. The event is fine and starting is idempotent, so
            // it is retried like an unreachable Temporal: never an unclassified 500 or a lost event.
            throw NotStarted(parsedEvent, $"starting failed unexpectedly ({e.GetType().Name}: {e.Message})", e);
        }

        if (result.Duplicate)
        {
            LogDuplicate(logger, result.EventId, result.WorkflowId, result.RunId);
        }
        else
        {
            LogStarted(logger, parsedEvent.WorkflowType, result.EventId, result.WorkflowId, result.RunId);
        }

        return result;
    }

    private WorkflowNotStartedException NotStarted(ParsedEvent parsedEvent, string reason, Exception? cause = null)
    {
        var message = $"Workflow '{parsedEvent.WorkflowId}' for event '{parsedEvent.Envelope.Id}' was not started: {reason}.";
        LogNotStarted(logger, parsedEvent.Envelope.Id, parsedEvent.WorkflowId, message);
        return cause is null ? new WorkflowNotStartedException(message) : new WorkflowNotStartedException(message, cause);
    }

    [LoggerMessage(1, LogLevel.Information, "Started {WorkflowType} for event {EventId}: workflow {WorkflowId} run {RunId}")]
    private static partial void LogStarted(ILogger logger, string workflowType, string eventId, string workflowId, string runId);

    [LoggerMessage(2, LogLevel.Information, "Duplicate delivery of event {EventId}: workflow {WorkflowId} already has run {RunId}; nothing started")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string workflowId, string runId);

    [LoggerMessage(3, LogLevel.Warning, "Poison event {EventId} ({DetailType}) rejected with {Code}: {Reason}")]
    private static partial void LogPoison(ILogger logger, string? eventId, string? detailType, RejectionCode code, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Event {EventId} not started (workflow {WorkflowId}), to be retried: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string eventId, string workflowId, string reason);
}
