using EventProcessor.Activities;
using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.Worker.Configuration;
using EventProcessor.Worker.Health;
using EventProcessor.Worker.Reconciliation;
using EventProcessor.Worker.Telemetry;
using EventProcessor.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Temporalio.Converters;
using Temporalio.Extensions.Hosting;
using Temporalio.Worker.Tuning;

namespace EventProcessor.Worker;

/// <summary>
/// The worker as a reusable piece: the worker executable and the local run (src/DevHost) both
/// call <see cref="AddEventProcessorWorker"/> and <see cref="MapWorkerEndpoints"/>, so they
/// register exactly the same workflows, activities, interceptors and options.
/// </summary>
public static class WorkerComposition
{
    /// <summary>
    /// Registers the hosted Temporal worker (every workflow of <see cref="EventWorkflows.Types"/>,
    /// every activity class of <see cref="ActivitiesServiceCollectionExtensions.ActivityTypes"/>)
    /// and the activities' integrations. Sections <c>Temporal</c>, <c>Worker</c> and <c>Encryption</c>
    /// are checked here; the integrations' sections when the host starts. Section <c>Reconciliation</c>
    /// (checked here too) defines the schedule <c>reconcile-search-index</c>, ensured at start.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Sections <c>Temporal</c>, <c>Worker</c>, <c>Encryption</c> and the integrations'.</param>
    /// <param name="extend">Extra registrations on the same worker (tests add probe workflows).</param>
    /// <exception cref="InvalidSettingException">A <c>Temporal:*</c>, <c>Worker:*</c> or <c>Encryption:*</c> setting is missing or wrong; the message names it.</exception>
    public static IServiceCollection AddEventProcessorWorker(
        this IServiceCollection services, IConfiguration configuration, Action<ITemporalWorkerServiceOptionsBuilder>? extend = null)
    {
        var temporal = TemporalOptions.Read(configuration);
        var tuning = WorkerOptions.Read(configuration);
        services.AddSingleton(temporal);
        services.AddSingleton(tuning);
        services.AddEventProcessorEncryption(configuration);
        services.AddEventProcessorActivities(configuration);

        // The host must wait longer than the worker's own grace period, or it would abandon the
        // activities the worker is still letting finish.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = tuning.ShutdownTimeout + TimeSpan.FromSeconds(5));

        // A workflow missing for a catalog entry would leave its events unprocessed: refuse to start instead.
        EventWorkflows.EnsureMatchesCatalog();
        var worker = services.AddHostedTemporalWorker(temporal.TaskQueue);
        foreach (var workflow in EventWorkflows.Types.Concat(EntitySyncWorkflows.Types).Concat(MaintenanceWorkflows.Types).Distinct())
        {
            worker.AddWorkflow(workflow);
        }

        foreach (var activities in ActivitiesServiceCollectionExtensions.ActivityTypes)
        {
            worker.ApplyTemporalActivities(activities);
        }

        worker.ConfigureOptions().Configure<ILoggerFactory, DataConverter>((options, loggerFactory, dataConverter) =>
        {
            options.ClientOptions = TemporalConnectOptionsFactory.Options(temporal, WorkerRuntime.ForwardCoreLogsTo(loggerFactory), loggerFactory);

            // The same converter as the trigger's and the local run's, or the worker could not read the inputs they encrypt.
            options.ClientOptions.DataConverter = dataConverter;
            options.LoggerFactory = loggerFactory;
            options.Interceptors = [new ObservabilityInterceptor(loggerFactory)];
            options.GracefulShutdownTimeout = tuning.ShutdownTimeout;
            options.MaxConcurrentActivities = tuning.MaxConcurrentActivities;
            options.MaxConcurrentWorkflowTasks = tuning.MaxConcurrentWorkflowTasks;
            options.MaxConcurrentLocalActivities = tuning.MaxConcurrentLocalActivities;
            options.WorkflowTaskPollerBehavior = new PollerBehavior.SimpleMaximum(tuning.WorkflowTaskPollers);
            options.ActivityTaskPollerBehavior = new PollerBehavior.SimpleMaximum(tuning.ActivityTaskPollers);
            options.MaxCachedWorkflows = tuning.MaxCachedWorkflows;
        });
        extend?.Invoke(worker);
        services.AddSingleton<WorkerReadinessCheck>();
        services.AddProbes().AddCheck<WorkerReadinessCheck>("temporal-worker", tags: [Probes.Ready]);
        services.AddSingleton(ReconciliationOptions.Read(configuration));
        services.AddSingleton<ReconciliationScheduleService>().AddHostedService(p => p.GetRequiredService<ReconciliationScheduleService>());
        return services;
    }

    /// <summary>JSON console logs with scopes (run ids, event id, activity), UTC timestamps, one line each.</summary>
    public static ILoggingBuilder AddWorkerJsonConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return logging.ClearProviders().AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }

    /// <summary>Maps <c>/healthz</c> (the process is up), <c>/readyz</c> (the health check <see cref="WorkerReadinessCheck"/>: worker polling, Temporal reachable) and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapWorkerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapProbes();
        endpoints.MapMetrics("/metrics");

        // prometheus-net attaches to .NET meters only at the first scrape, and counters added
        // before that would be lost; starting it now counts the first events too (a second
        // start with the default options is ignored by prometheus-net).
        MeterAdapter.StartListening();
        return endpoints;
    }
}
