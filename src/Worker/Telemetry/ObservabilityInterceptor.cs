using EventProcessor.Events.Catalog;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
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
        private RunEvent? runEvent;

        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new WorkflowOutbound(outbound, this));

        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            // Only event runs are events: a sync run (src/Workflows/Coalescing) serves many, each counted by its own run.
            if (!EventCatalog.TryGetByWorkflowType(Workflow.Info.WorkflowType, out _))
            {
                return await base.ExecuteWorkflowAsync(input);
            }

            runEvent = RunEvent.OfWorkflow(input);
            var (eventId, eventType) = runEvent;
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

        /// <summary>The event's headers for an activity; none before the run started (nothing schedules one then).</summary>
        public IDictionary<string, Payload>? HeadersFor(IDictionary<string, Payload>? headers) => runEvent is { } known ? known.AddTo(headers) : headers;

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

    /// <summary>Adds the run's event to every activity it schedules, so the activity's log scope names it too.</summary>
    private sealed class WorkflowOutbound(WorkflowOutboundInterceptor next, WorkflowInbound run) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input) =>
            base.ScheduleActivityAsync<TResult>(input with { Headers = run.HeadersFor(input.Headers) });

        public override Task<TResult> ScheduleLocalActivityAsync<TResult>(ScheduleLocalActivityInput input) =>
            base.ScheduleLocalActivityAsync<TResult>(input with { Headers = run.HeadersFor(input.Headers) });
    }

    private sealed class ActivityInbound(ActivityInboundInterceptor next, ILogger logger) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = ActivityExecutionContext.Current.Info;
            var (eventId, eventType) = RunEvent.OfActivity(input);
            using var scope = logger.BeginScope(new LogScope(
                new("WorkflowId", info.WorkflowId),
                new("RunId", info.WorkflowRunId),
                new("WorkflowType", info.WorkflowType),
                new("EventId", eventId),
                new("EventType", eventType),
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
