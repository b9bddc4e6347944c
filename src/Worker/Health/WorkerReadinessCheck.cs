using EventProcessor.Activities.Algolia;
using EventProcessor.Hosting;
using EventProcessor.Worker.Configuration;
using EventProcessor.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace EventProcessor.Worker.Health;

/// <summary>
/// Ready means the hosted worker is running (it has connected and polls; it stops the host when it
/// fails) and the Temporal frontend answers now. The probe has its own lazy connection so a
/// frontend outage shows here even while the worker's long polls are still hanging. The Algolia
/// projects index must exist too (a misspelt index would otherwise be created by the first write).
/// Registered as a singleton so the probe's connection outlives one check; answers <c>/readyz</c>
/// (tag <see cref="Probes.Ready"/>).
/// </summary>
public sealed class WorkerReadinessCheck(IEnumerable<IHostedService> hostedServices, TemporalSettings settings, ILoggerFactory loggerFactory, AlgoliaIndexCheck algoliaIndex)
    : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<TemporalClient> probe = new(() =>
        TemporalClient.CreateLazy(TemporalConnectOptionsFactory.Options(settings, WorkerRuntime.Instance, loggerFactory)));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var workers = hostedServices.OfType<TemporalWorkerService>().ToList();
        if (workers.Count == 0 || workers.Any(w => w.ExecuteTask is null))
        {
            return HealthCheckResult.Unhealthy("the Temporal worker has not started");
        }

        if (workers.FirstOrDefault(w => w.ExecuteTask!.IsCompleted) is { } stopped)
        {
            return HealthCheckResult.Unhealthy(stopped.ExecuteTask!.IsFaulted ? $"the Temporal worker failed: {stopped.ExecuteTask.Exception!.GetBaseException().Message}" : "the Temporal worker stopped");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            await probe.Value.Connection.WorkflowService.GetSystemInfoAsync(
                new GetSystemInfoRequest(), new RpcOptions { CancellationToken = timeout.Token }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Temporal at {settings.Address} is unreachable: {e.Message}");
        }

        var (indexReady, indexReason) = await algoliaIndex.CheckAsync(cancellationToken).ConfigureAwait(false);
        return indexReady
            ? HealthCheckResult.Healthy($"polling task queue {settings.TaskQueue} on {settings.Address} (namespace {settings.Namespace})")
            : HealthCheckResult.Unhealthy(indexReason);
    }
}
