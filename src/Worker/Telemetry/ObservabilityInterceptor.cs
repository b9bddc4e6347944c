using EventProcessor.Events.Catalog;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Exceptions;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// Puts the run (workflow id, run id, event id, event type, activity) in the logging scope of
/// everything an activity logs, through any logger of the worker's factory, and counts events
/// processed and failed activity attempts. An interceptor sees every workflow and activity, so
/// none of them has to remember to do it.
/// </summary>
public sealed partial class ObservabilityInterceptor(ILoggerFactory loggerFactory) : IWorkerInterceptor
{
    private readonly ILogger activityLogger = loggerFactory.CreateLogger("EventProcessor.Worker.Activities");

    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) =>
        new WorkflowInbound(nextInterceptor);

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) =>
        new ActivityInbound(nextInterceptor, activityLogger);

    /// <summary>Same rule as the SDK's: a Temporal failure keeps its type, anything else is named by its short type name.</summary>
    internal static string ErrorTypeOf(Exception exception) => exception switch
    {
        ApplicationFailureException { ErrorType: { Length: > 0 } type } => type,
        CanceledFailureException or OperationCanceledException => "Canceled",
        _ => exception.GetType().Name,
    };

    [LoggerMessage(1, LogLevel.Warning, "Activity {ActivityType} attempt {Attempt} failed with {ErrorType}: {Reason}")]
    private static partial void LogActivityFailed(ILogger logger, string activityType, int attempt, string errorType, string reason);

    [LoggerMessage(2, LogLevel.Information, "Event {EventId} ({EventType}) {Outcome}")]
    private static partial void LogEventFinished(ILogger logger, string? eventId, string eventType, string outcome);

    private sealed class WorkflowInbound(WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            var info = Workflow.Info;
            var eventType = EventIds.DetailTypeOf(info.WorkflowType);
            var eventId = EventIds.EventIdOf(info.WorkflowType, info.WorkflowId);
            using var scope = Workflow.Logger.BeginScope(new LogScope(new("EventId", eventId), new("EventType", eventType)));
            try
            {
                var result = await base.ExecuteWorkflowAsync(input);
                Finished(eventId, eventType, "completed");
                return result;
            }
            catch (Exception e) when (OutcomeOf(e) is { } outcome)
            {
                Finished(eventId, eventType, outcome);
                throw;
            }
        }

        // Any other exception fails the workflow task, not the run: the task is retried, so it is no outcome.
        private static string? OutcomeOf(Exception e) => e switch
        {
            CanceledFailureException => "canceled",
            OperationCanceledException when Workflow.CancellationToken.IsCancellationRequested => "canceled",
            ContinueAsNewException => null,
            FailureException => "failed",
            _ => null,
        };

        private static void Finished(string? eventId, string eventType, string outcome)
        {
            // A run that completes while replaying was already counted by the worker that ran it;
            // maintenance workflows (the reconciliation) are no events, so they count nowhere here.
            if (Workflow.Unsafe.IsReplaying || !EventCatalog.TryGetByWorkflowType(Workflow.Info.WorkflowType, out _))
            {
                return;
            }

            // Meter listeners (prometheus-net starts tasks) must not run on the workflow's
            // deterministic scheduler, so the count is handed to the thread pool without the
            // workflow's execution context.
            ThreadPool.UnsafeQueueUserWorkItem(
                state => ProductMetrics.EventProcessed(state.EventType, state.Outcome), (EventType: eventType, Outcome: outcome), preferLocal: false);
            LogEventFinished(Workflow.Logger, eventId, eventType, outcome);
        }
    }

    private sealed class ActivityInbound(ActivityInboundInterceptor next, ILogger logger) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = ActivityExecutionContext.Current.Info;
            using var scope = logger.BeginScope(new LogScope(
                new("WorkflowId", info.WorkflowId),
                new("RunId", info.WorkflowRunId),
                new("WorkflowType", info.WorkflowType),
                new("EventId", info.WorkflowType is { } type && info.WorkflowId is { } id ? EventIds.EventIdOf(type, id) : null),
                new("EventType", info.WorkflowType is { } workflowType ? EventIds.DetailTypeOf(workflowType) : null),
                new("Activity", info.ActivityType),
                new("ActivityAttempt", info.Attempt)));
            try
            {
                return await base.ExecuteActivityAsync(input).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var errorType = ErrorTypeOf(e);
                ProductMetrics.ActivityFailed(info.ActivityType, errorType);
                LogActivityFailed(logger, info.ActivityType, info.Attempt, errorType, e.Message);
                throw;
            }
        }
    }
}
