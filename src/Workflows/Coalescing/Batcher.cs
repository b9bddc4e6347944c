using EventProcessor.Activities.Coalescing;
using Google.Protobuf;
using Temporalio.Api.Failure.V1;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Coalescing;

/// <summary>
/// The waiting half of a sync workflow (workflow code: deterministic): collects requests, one per
/// waiting event run, and says when the batch is due.
/// </summary>
internal sealed class Batcher<TRequest>(Func<TRequest, SyncWaiter> waiterOf)
{
    private readonly List<TRequest> pending = [];
    private DateTime firstChange;
    private DateTime lastChange;

    public bool HasPending => pending.Count > 0;

    /// <summary>Adds a request; a repeat from the same run (a retried request) replaces its earlier one instead of adding a waiter.</summary>
    public void Add(TRequest request)
    {
        var now = Workflow.UtcNow;
        if (pending.Count == 0)
        {
            firstChange = now;
        }

        lastChange = now;
        var waiter = waiterOf(request);
        var same = pending.FindIndex(r => waiterOf(r) == waiter);
        if (same >= 0)
        {
            pending[same] = request;
        }
        else
        {
            pending.Add(request);
        }
    }

    /// <summary>
    /// The run of every sync workflow: takes the requests carried over from the run before, then,
    /// while any is pending, waits for the batch to be due, writes it with <paramref name="writeAsync"/>
    /// and answers its waiting runs; when Temporal suggests it (<see cref="ShouldContinueAsNew"/>),
    /// the requests still waiting go to a new run, which answers them.
    /// </summary>
    /// <param name="continueAsNew">The continue-as-new exception carrying the still-waiting requests.</param>
    public async Task DrainAsync(
        IEnumerable<TRequest> carried,
        SyncWindows windows,
        Func<IReadOnlyList<TRequest>, Task<SyncOutcome>> writeAsync,
        Func<IReadOnlyList<TRequest>, ContinueAsNewException> continueAsNew)
    {
        ArgumentNullException.ThrowIfNull(carried);
        ArgumentNullException.ThrowIfNull(writeAsync);
        ArgumentNullException.ThrowIfNull(continueAsNew);
        foreach (var request in carried)
        {
            Add(request);
        }

        while (HasPending)
        {
            await WaitForQuietAsync(windows);
            var batch = Take();
            var outcome = await writeAsync(batch);
            await AnswerAsync(batch.Select(waiterOf), outcome);
            if (HasPending && ShouldContinueAsNew(windows))
            {
                throw continueAsNew(Take());
            }
        }
    }

    /// <summary>
    /// Waits until the batch is due: <c>QuietPeriod</c> after its last request, at the latest
    /// <c>MaxDelay</c> after its first. One timer per wait rather than one per request, so a burst
    /// of hundreds of requests costs a handful of timers (each is a billable action).
    /// </summary>
    public async Task WaitForQuietAsync(SyncWindows windows)
    {
        while (true)
        {
            var quietEnd = lastChange + windows.QuietPeriod;
            var latest = firstChange + windows.MaxDelay;
            var due = quietEnd < latest ? quietEnd : latest;
            var now = Workflow.UtcNow;
            if (now >= due)
            {
                return;
            }

            await Workflow.DelayAsync(due - now);
        }
    }

    /// <summary>The batch to write now; later requests form the next one.</summary>
    public List<TRequest> Take()
    {
        var batch = pending.ToList();
        pending.Clear();
        return batch;
    }

    /// <summary>
    /// Temporal suggests continuing as new when the history grows large (every request and answer
    /// adds events); the configured event count is a bound of our own that also holds on servers
    /// that never suggest it.
    /// </summary>
    public static bool ShouldContinueAsNew(SyncWindows windows) =>
        Workflow.ContinueAsNewSuggested || Workflow.CurrentHistoryLength >= windows.ContinueAsNewAfterEvents;

    /// <summary>Tells every waiting run of the batch, in parallel. A run that is gone (terminated, or reset into a new run) cannot be told and needs nothing.</summary>
    public static Task AnswerAsync(IEnumerable<SyncWaiter> waiters, SyncOutcome outcome) =>
        Workflow.WhenAllAsync(waiters.Select(w => AnswerAsync(w, outcome)));

    /// <summary>
    /// The outcome of a write that failed after its retries. The failure travels whole (Temporal's
    /// own failure, as JSON), so each waiting run fails exactly as if the step had been its own:
    /// same activity failure, error type and message, plus which sync run it happened in.
    /// </summary>
    public static SyncOutcome Failed(FailureException failure)
    {
        var info = Workflow.Info;
        var proto = failure.Failure?.Clone() ?? new Failure
        {
            Message = failure.Message,
            ApplicationFailureInfo = new ApplicationFailureInfo { Type = (failure as ApplicationFailureException)?.ErrorType ?? "SyncFailed", NonRetryable = true },
        };
        var cause = proto;
        while (cause.ApplicationFailureInfo is null && cause.Cause is not null)
        {
            cause = cause.Cause;
        }

        cause.Message += $" (in {info.WorkflowId} run {info.RunId})";
        return new SyncOutcome(info.WorkflowId, info.RunId, cause.Message, cause.ApplicationFailureInfo?.Type, FailureJson: JsonFormatter.Default.Format(proto));
    }

    private static async Task AnswerAsync(SyncWaiter waiter, SyncOutcome outcome)
    {
        try
        {
            await Workflow.GetExternalWorkflowHandle(waiter.WorkflowId, waiter.RunId).SignalAsync(SyncCompletion.CompletedSignal, [outcome with { WaiterRunId = waiter.RunId }]);
        }
        catch (FailureException)
        {
            // The run no longer exists or is closed: nobody waits for this answer.
        }
    }
}
