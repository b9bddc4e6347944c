using EventProcessor.Events.Catalog;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>Reads one run (describe + history) into a <see cref="RunReport"/>.</summary>
internal static class RunInspector
{
    public static async Task<RunReport> InspectAsync(ITemporalClient client, string workflowId, string? runId, CancellationToken cancellationToken)
    {
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        DescribeWorkflowExecutionResponse described;
        try
        {
            described = await client.WorkflowService.DescribeWorkflowExecutionAsync(
                new DescribeWorkflowExecutionRequest
                {
                    Namespace = client.Options.Namespace,
                    Execution = new() { WorkflowId = workflowId, RunId = runId ?? string.Empty },
                },
                rpc).ConfigureAwait(false);
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            throw new CliFailureException($"No run of workflow '{workflowId}'{(runId is null ? string.Empty : $" with run id {runId}")} in namespace {client.Options.Namespace}.", e);
        }

        var info = described.WorkflowExecutionInfo;
        var history = await client.GetWorkflowHandle(workflowId, info.Execution.RunId)
            .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc }).ConfigureAwait(false);
        if (client.Options.DataConverter.PayloadCodec is { } codec)
        {
            await PayloadDecoding.DecodeAsync(codec, described).ConfigureAwait(false);
            foreach (var historyEvent in history.Events)
            {
                await PayloadDecoding.DecodeAsync(codec, historyEvent).ConfigureAwait(false);
            }
        }

        var events = history.Events;
        var chain = await RunChain.OfAsync(client, info.Execution.WorkflowId, info.Execution.RunId, [.. events], cancellationToken).ConfigureAwait(false);
        var started = events.FirstOrDefault(e => e.EventType == EventType.WorkflowExecutionStarted);
        var closed = events.LastOrDefault(e => e.EventType is EventType.WorkflowExecutionCompleted or EventType.WorkflowExecutionFailed
            or EventType.WorkflowExecutionTimedOut or EventType.WorkflowExecutionTerminated or EventType.WorkflowExecutionCanceled);

        var summary = new RunSummary(
            info.Execution.WorkflowId,
            info.Execution.RunId,
            info.Type.Name,
            StatusNames.Of(info.Status),
            info.StartTime?.ToDateTime(),
            info.CloseTime?.ToDateTime(),
            info.TaskQueue,
            info.HistoryLength,
            described.ExecutionConfig?.UserMetadata?.Summary is { } s ? PayloadText.Describe(s).Trim('"') : null,
            SearchAttributesOf(info));

        return new RunReport(
            summary,
            PayloadText.Describe(started?.WorkflowExecutionStartedEventAttributes?.Input),
            closed?.EventType == EventType.WorkflowExecutionCompleted ? PayloadText.Describe(closed.WorkflowExecutionCompletedEventAttributes.Result) : null,
            FailureOf(closed),
            Timeline(events),
            described.PendingActivities.Select(p => new PendingActivity(
                p.ActivityId, p.ActivityType.Name, p.State.ToString(), p.Attempt, FailureChain.Root(p.LastFailure), p.NextAttemptScheduleTime?.ToDateTime())).ToList(),
            chain);
    }

    private static Dictionary<string, string> SearchAttributesOf(Temporalio.Api.Workflow.V1.WorkflowExecutionInfo info)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (info.SearchAttributes is null)
        {
            return values;
        }

        foreach (var key in EventSearchAttributes.AllKeys)
        {
            if (info.SearchAttributes.IndexedFields.TryGetValue(key.Name, out var payload))
            {
                values[key.Name] = PayloadText.Describe(payload).Trim('"');
            }
        }

        return values;
    }

    private static IReadOnlyList<FailureLink> FailureOf(HistoryEvent? closed) => closed?.EventType switch
    {
        EventType.WorkflowExecutionFailed => FailureChain.Of(closed.WorkflowExecutionFailedEventAttributes.Failure),
        EventType.WorkflowExecutionTimedOut => [new FailureLink("timeout", "WorkflowExecutionTimeout", "the run exceeded its execution or run timeout")],
        EventType.WorkflowExecutionTerminated => [new FailureLink("terminated", null, SecretMasker.MaskUrlSecrets(closed.WorkflowExecutionTerminatedEventAttributes.Reason))],
        EventType.WorkflowExecutionCanceled => [new FailureLink("canceled", null, "the run was canceled")],
        _ => [],
    };

    private static List<ActivityStep> Timeline(IEnumerable<HistoryEvent> events)
    {
        var steps = new Dictionary<long, ActivityStep>();
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case EventType.ActivityTaskScheduled:
                    var a = e.ActivityTaskScheduledEventAttributes;
                    steps[e.EventId] = new ActivityStep(e.EventId, a.ActivityId, a.ActivityType.Name,
                        e.UserMetadata?.Summary is { } s ? PayloadText.Describe(s).Trim('"') : null, e.EventTime.ToDateTime(), "Scheduled", 0, null);
                    break;
                case EventType.ActivityTaskStarted:
                    var st = e.ActivityTaskStartedEventAttributes;
                    Update(steps, st.ScheduledEventId, step => step with { Status = "Started", Attempts = st.Attempt, LastFailure = FailureChain.Root(st.LastFailure) });
                    break;
                case EventType.ActivityTaskCompleted:
                    Update(steps, e.ActivityTaskCompletedEventAttributes.ScheduledEventId, step => step with { Status = "Completed" });
                    break;
                case EventType.ActivityTaskFailed:
                    var f = e.ActivityTaskFailedEventAttributes;
                    Update(steps, f.ScheduledEventId, step => step with { Status = "Failed", LastFailure = FailureChain.Root(f.Failure) });
                    break;
                case EventType.ActivityTaskTimedOut:
                    var t = e.ActivityTaskTimedOutEventAttributes;
                    Update(steps, t.ScheduledEventId, step => step with { Status = "TimedOut", LastFailure = FailureChain.Root(t.Failure) ?? step.LastFailure });
                    break;
                case EventType.ActivityTaskCanceled:
                    Update(steps, e.ActivityTaskCanceledEventAttributes.ScheduledEventId, step => step with { Status = "Canceled" });
                    break;
            }
        }

        return [.. steps.Values.OrderBy(s => s.ScheduledEventId)];
    }

    private static void Update(Dictionary<long, ActivityStep> steps, long scheduledEventId, Func<ActivityStep, ActivityStep> change)
    {
        if (steps.TryGetValue(scheduledEventId, out var step))
        {
            steps[scheduledEventId] = change(step);
        }
    }
}
