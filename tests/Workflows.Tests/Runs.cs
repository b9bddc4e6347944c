using EventProcessor.Events.Validation;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.Workflows.Tests;

/// <summary>What the end-to-end tests read back from a run's history, and how they redeliver an event.</summary>
internal static class Runs
{
    public const string TestProject = "Workflows.Tests";

    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Activity types the run scheduled, in order (local activities are markers, not listed), with
    /// a coalesced sync's steps in place of the request that handed them to the sync run (which the
    /// run's <c>SyncRun</c> memo names; in these tests each sync run serves this one event).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ActivitiesOfAsync(WorkflowHarness harness, ParsedEvent parsed)
    {
        var handle = harness.Client.GetWorkflowHandle(parsed.WorkflowId);
        var activities = await ActivityTypesAsync(handle);
        var description = await handle.DescribeAsync();
        if (!description.Memo.TryGetValue("SyncRun", out var memo))
        {
            return activities;
        }

        var run = (await memo.ToValueAsync<string>()).Split(" run ");
        var synced = await ActivityTypesAsync(harness.Client.GetWorkflowHandle(run[0], run[1]));
        return [.. activities.SelectMany(a => a.StartsWith("Request", StringComparison.Ordinal) && a.EndsWith("Sync", StringComparison.Ordinal) ? synced : [a])];
    }

    private static async Task<IReadOnlyList<string>> ActivityTypesAsync(WorkflowHandle handle)
    {
        var history = await handle.FetchHistoryAsync();
        return [.. history.Events
            .Where(e => e.EventType == EventType.ActivityTaskScheduled)
            .Select(e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name)];
    }

    /// <summary>
    /// The same event delivered again after its run completed: the trigger's start is refused by the
    /// workflow id (<c>RejectDuplicate</c>) while the closed run is within retention.
    /// </summary>
    public static async Task AssertRedeliveryIsRefusedAsync(WorkflowHarness harness, ParsedEvent parsed) =>
        await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => harness.StartAsync(parsed));

    /// <summary>
    /// The same event delivered again once the closed run has left retention (the id no longer
    /// dedupes): a new run with the same input, so only the workflow's own markers prevent a repeat.
    /// </summary>
    public static async Task<TResult> RunAgainAfterRetentionAsync<TResult>(WorkflowHarness harness, ParsedEvent parsed)
    {
        var handle = await harness.Client.StartWorkflowAsync(
            parsed.WorkflowType,
            [parsed.CreateWorkflowInput()],
            new WorkflowOptions($"{parsed.WorkflowId}-after-retention", harness.TaskQueue) { StaticSummary = parsed.Summary });
        using var timeout = new CancellationTokenSource(ResultTimeout);
        return await handle.GetResultAsync<TResult>(rpcOptions: new() { CancellationToken = timeout.Token });
    }

    /// <summary>The activity failure a run ended with, and its application cause.</summary>
    public static ApplicationFailureException ActivityCause(WorkflowFailedException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var activity = Assert.IsType<ActivityFailureException>(failure.InnerException);
        return Assert.IsType<ApplicationFailureException>(activity.InnerException);
    }

    /// <summary>The business failure a run ended with (thrown by the workflow itself).</summary>
    public static ApplicationFailureException BusinessCause(WorkflowFailedException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return Assert.IsType<ApplicationFailureException>(failure.InnerException);
    }
}
