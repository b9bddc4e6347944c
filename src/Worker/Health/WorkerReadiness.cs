using EventProcessor.Activities.Algolia;
using EventProcessor.Hosting;
using EventProcessor.Worker.Configuration;
using EventProcessor.Worker.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace EventProcessor.Worker.Health;

/// <summary>Whether this process should receive work: WorkerReadiness.CheckAsync answers for <c>/readyz</c>.</summary>
public sealed record Readiness(bool Ready, string Reason);

/// <summary>
/// Ready means the hosted worker is running (it has connected and polls; it stops the host when it
/// fails) and the Temporal frontend answers now. The probe has its own lazy connection so a
/// frontend outage shows here even while the worker's long polls are still hanging. The Algolia
/// projects index must exist too (a misspelt index would otherwise be created by the first write).
/// </summary>
public sealed class WorkerReadiness(IEnumerable<IHostedService> hostedServices, TemporalSettings settings, ILoggerFactory loggerFactory, AlgoliaIndexCheck algoliaIndex)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<TemporalClient> probe = new(() =>
        TemporalClient.CreateLazy(TemporalConnectOptionsFactory.Options(settings, WorkerRuntime.Instance, loggerFactory)));

    public async Task<Readiness> CheckAsync(CancellationToken cancellationToken)
    {
        var workers = hostedServices.OfType<TemporalWorkerService>().ToList();
        if (workers.Count == 0 || workers.Any(w => w.ExecuteTask is null))
        {
            return new Readiness(false, "the Temporal worker has not started");
        }

        if (workers.FirstOrDefault(w => w.ExecuteTask!.IsCompleted) is { } stopped)
        {
            return new Readiness(false, stopped.ExecuteTask!.IsFaulted ? $"the Temporal worker failed: {stopped.ExecuteTask.Exception!.GetBaseException().Message}" : "the Temporal worker stopped");
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
            return new Readiness(false, $"Temporal at {settings.Address} is unreachable: {e.Message}");
        }

        var (indexReady, indexReason) = await algoliaIndex.CheckAsync(cancellationToken).ConfigureAwait(false);
        return indexReady
            ? new Readiness(true, $"polling task queue {settings.TaskQueue} on {settings.Address} (namespace {settings.Namespace})")
            : new Readiness(false, indexReason);
    }
}
