using Temporalio.Api.Enums.V1;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>How a test wants one activity called; null timeouts are left unset.</summary>
public sealed record ActivityCall(
    string Activity,
    object? Argument = null,
    TimeSpan? StartToClose = null,
    TimeSpan? ScheduleToClose = null,
    TimeSpan? ScheduleToStart = null,
    TimeSpan? Heartbeat = null,
    int MaximumAttempts = 0,
    TimeSpan? InitialInterval = null,
    string[]? NonRetryableErrorTypes = null,
    string? TaskQueue = null,
    TimeSpan? MaximumInterval = null);

/// <summary>What became of the activity, as the workflow saw it.</summary>
public sealed record ActivityOutcome(
    string? Result,
    string? FailureKind,
    string? ErrorType,
    TimeoutType? TimeoutType,
    RetryState? RetryState,
    string? Message);

[Workflow]
public sealed class ActivityCallWorkflow
{
    [WorkflowRun]
    public async Task<ActivityOutcome> RunAsync(ActivityCall call)
    {
        var options = new ActivityOptions
        {
            StartToCloseTimeout = call.StartToClose,
            ScheduleToCloseTimeout = call.ScheduleToClose,
            ScheduleToStartTimeout = call.ScheduleToStart,
            HeartbeatTimeout = call.Heartbeat,
            TaskQueue = call.TaskQueue,
            RetryPolicy = new RetryPolicy
            {
                MaximumAttempts = call.MaximumAttempts,
                InitialInterval = call.InitialInterval ?? TimeSpan.FromMilliseconds(100),
                BackoffCoefficient = 1.0f,
                MaximumInterval = call.MaximumInterval,
                NonRetryableErrorTypes = call.NonRetryableErrorTypes,
            },
        };
        var args = call.Argument is null ? Array.Empty<object?>() : [call.Argument];
        try
        {
            var result = await Workflow.ExecuteActivityAsync<string>(call.Activity, args, options);
            return new ActivityOutcome(result, null, null, null, null, null);
        }
        catch (ActivityFailureException ex)
        {
            return ex.InnerException switch
            {
                TimeoutFailureException timeout => new ActivityOutcome(null, "timeout", null, timeout.TimeoutType, ex.RetryState, timeout.Message),
                ApplicationFailureException app => new ActivityOutcome(null, "application", app.ErrorType, null, ex.RetryState, app.Message),
                CanceledFailureException canceled => new ActivityOutcome(null, "canceled", null, null, ex.RetryState, canceled.Message),
                _ => new ActivityOutcome(null, ex.InnerException?.GetType().Name ?? "unknown", null, null, ex.RetryState, ex.Message),
            };
        }
    }
}

/// <summary>Starts a heartbeating activity, cancels it when signalled, and reports how it ended.</summary>
[Workflow]
public sealed class CancelActivityWorkflow
{
    private bool _cancel;

    [WorkflowSignal]
    public Task CancelActivityAsync()
    {
        _cancel = true;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Workflow.CancellationToken);
        var activity = Workflow.ExecuteActivityAsync(
            (TestActivities a) => a.HeartbeatUntilCancelled(),
            new ActivityOptions
            {
                StartToCloseTimeout = TimeSpan.FromSeconds(30),
                HeartbeatTimeout = TimeSpan.FromSeconds(2),
                CancellationToken = cts.Token,
                CancellationType = ActivityCancellationType.WaitCancellationCompleted,
            });
        await Workflow.WhenAnyAsync(activity, Workflow.WaitConditionAsync(() => _cancel));
        cts.Cancel();
        try
        {
            return await activity;
        }
        catch (ActivityFailureException ex) when (ex.InnerException is CanceledFailureException)
        {
            return "activity canceled";
        }
    }
}

[Workflow]
public sealed class TimerWorkflow
{
    private bool _cancelTimer;

    [WorkflowSignal]
    public Task CancelTimerAsync()
    {
        _cancelTimer = true;
        return Task.CompletedTask;
    }

    /// <summary>With cancel=false waits out a short timer; with cancel=true starts a long timer and cancels it on signal.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan delay, bool cancel)
    {
        if (!cancel)
        {
            var before = Workflow.UtcNow;
            await Workflow.DelayAsync(delay);
            return Workflow.UtcNow - before >= delay ? "fired" : "too early";
        }

        using var cts = new CancellationTokenSource();
        var timer = Workflow.DelayAsync(delay, cts.Token);
        await Workflow.WaitConditionAsync(() => _cancelTimer);
        cts.Cancel();
        try
        {
            await timer;
            return "fired";
        }
        catch (TaskCanceledException)
        {
            return "timer canceled";
        }
    }
}

/// <summary>Collects signalled items, answers queries, finishes on "done".</summary>
[Workflow]
public sealed class SignalQueryWorkflow
{
    private readonly List<string> _items = [];

    [WorkflowSignal]
    public Task AddAsync(string item)
    {
        _items.Add(item);
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public IReadOnlyList<string> Items => _items;

    [WorkflowQuery]
    public string Fail() => throw new InvalidOperationException("query refused");

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => _items.Contains("done"));
        return string.Join(",", _items);
    }
}

/// <summary>Waits until cancelled or terminated; upserts search attributes on request.</summary>
[Workflow]
public sealed class WaitingWorkflow
{
    private readonly List<SearchAttributeUpdate> _pending = [];
    private int _upserts;

    [WorkflowSignal]
    public Task UpsertKeywordAsync(string name, string value)
    {
        _pending.Add(SearchAttributeKey.CreateKeyword(name).ValueSet(value));
        return Task.CompletedTask;
    }

    private readonly List<MemoUpdate> _memo = [];

    [WorkflowSignal]
    public Task UpsertMemoAsync(string key, string? value)
    {
        _memo.Add(value is null ? MemoUpdate.ValueUnset(key) : MemoUpdate.ValueSet(key, value));
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public int Upserts => _upserts;

    [WorkflowRun]
    public async Task RunAsync()
    {
        // A patch marker, so histories of this workflow carry a MarkerRecorded event.
        Workflow.Patched("conformance-patch");
        while (true)
        {
            await Workflow.WaitConditionAsync(() => _pending.Count > 0 || _memo.Count > 0);
            if (_pending.Count > 0)
            {
                Workflow.UpsertTypedSearchAttributes([.. _pending]);
                _pending.Clear();
            }

            if (_memo.Count > 0)
            {
                Workflow.UpsertMemo([.. _memo]);
                _memo.Clear();
            }

            _upserts++;
        }
    }
}

/// <summary>Fails its first two workflow task attempts with a non-Temporal exception, then completes.</summary>
[Workflow]
public sealed class FlakyTaskWorkflow
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> s_runs = new();

    [WorkflowRun]
    public Task<string> RunAsync()
    {
        var runs = s_runs.AddOrUpdate(Workflow.Info.WorkflowId, 1, (_, n) => n + 1);
        if (runs <= 2)
        {
            throw new InvalidOperationException("workflow task bug on first try");
        }

        return Task.FromResult("recovered");
    }
}

/// <summary>Completes at once: for id policies and history checks.</summary>
[Workflow]
public sealed class QuickWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string value) => Task.FromResult(value);
}

/// <summary>Fails the workflow with a business error.</summary>
[Workflow]
public sealed class FailingWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => throw new ApplicationFailureException("workflow failed on purpose", errorType: "Purposeful");
}

/// <summary>Fails the workflow (a business failure) until its retry attempt reaches <c>succeedOnAttempt</c>.</summary>
[Workflow]
public sealed class RetriedWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(int succeedOnAttempt) =>
        Workflow.Info.Attempt >= succeedOnAttempt
            ? Task.FromResult($"attempt {Workflow.Info.Attempt}")
            : throw new ApplicationFailureException($"failing attempt {Workflow.Info.Attempt}", errorType: "NotYet");
}
