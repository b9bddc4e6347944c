using EventProcessor.Hosting;
using EventProcessor.Worker.Configuration;
using EventProcessor.Worker.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace EventProcessor.Worker.Reconciliation;

/// <summary>
/// Ensures the schedule <c>reconcile-search-index</c> when the worker starts (created, or updated to
/// section <c>Reconciliation</c>), so a deploy is all it takes to change the schedule. It runs beside
/// the worker and never stops it: while Temporal cannot be reached it tries again, backing off to a
/// minute; a server without schedules is logged once.
/// </summary>
public sealed partial class ReconciliationScheduleService(
    TemporalSettings temporal, ReconciliationSettings settings, DataConverter dataConverter, ILoggerFactory loggerFactory) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly ILogger logger = loggerFactory.CreateLogger<ReconciliationScheduleService>();

    /// <summary>Completes when the schedule has been ensured (for tests and readiness).</summary>
    public Task<ScheduleEnsured> Ensured => ensured.Task;

    private readonly TaskCompletionSource<ScheduleEnsured> ensured = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var options = TemporalConnectOptionsFactory.Options(temporal, WorkerRuntime.Instance, loggerFactory);
                options.DataConverter = dataConverter;
                var client = await TemporalClient.ConnectAsync(options).WaitAsync(stoppingToken).ConfigureAwait(false);
                var outcome = await ReconciliationSchedule.EnsureAsync(client, settings, temporal.TaskQueue, stoppingToken).ConfigureAwait(false);
                LogEnsured(logger, ReconciliationSchedule.Id, outcome, settings.Schedule, settings.TimeZone, settings.Enabled);
                ensured.TrySetResult(outcome);
                return;
            }
            catch (RpcException e) when (e.Code == RpcException.StatusCode.Unimplemented)
            {
                LogUnsupported(logger, ReconciliationSchedule.Id, e.Message);
                ensured.TrySetException(e);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogRetry(logger, ReconciliationSchedule.Id, backoff.TotalSeconds, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                ensured.TrySetCanceled(stoppingToken);
                return;
            }

            try
            {
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ensured.TrySetCanceled(stoppingToken);
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    [LoggerMessage(40, LogLevel.Information, "Schedule {ScheduleId} {Outcome}: '{Spec}' ({TimeZone}), enabled: {Enabled}")]
    private static partial void LogEnsured(ILogger logger, string scheduleId, ScheduleEnsured outcome, string spec, string timeZone, bool enabled);

    [LoggerMessage(41, LogLevel.Warning, "Schedule {ScheduleId} not ensured yet, trying again in {Seconds} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string scheduleId, double seconds, string reason);

    [LoggerMessage(42, LogLevel.Error, "Schedule {ScheduleId} cannot be ensured: this Temporal server has no schedules ({Reason}); run 'eventprocessor reconcile run' by hand")]
    private static partial void LogUnsupported(ILogger logger, string scheduleId, string reason);
}
