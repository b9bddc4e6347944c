using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace EventProcessor.Worker.Tests;

[Collection(TemporalCollection.Name)]
public sealed class GracefulShutdownTests(TemporalServerFixture temporal)
{
    [Fact]
    public async Task Stopping_the_host_lets_an_in_flight_activity_finish_and_report_its_result()
    {
        await using var downstream = await DownstreamStandIns.StartAsync();
        var taskQueue = TaskQueues.Unique();
        var probe = new ShutdownProbeActivities();
        var settings = new Dictionary<string, string?>(downstream.Configuration)
        {
            ["Temporal:Address"] = temporal.Address,
            ["Temporal:Namespace"] = temporal.Namespace,
            ["Temporal:TaskQueue"] = taskQueue,
            ["Worker:ShutdownTimeoutSeconds"] = "20",
            ["Urls"] = "http://127.0.0.1:0",

            // The test reads the activity's result from the raw history.
            ["Encryption:Enabled"] = "false",
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEventProcessorWorker(builder.Configuration, worker => worker
            .AddWorkflow<ShutdownProbeWorkflow>()
            .AddActivitiesInstance(probe));
        await using var app = builder.Build();
        await app.StartAsync();
        Assert.Equal(TimeSpan.FromSeconds(25), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);

        var handle = await temporal.Client.StartWorkflowAsync(
            (ShutdownProbeWorkflow w) => w.RunAsync(), new WorkflowOptions($"shutdown-probe-{Guid.NewGuid():N}", taskQueue));
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await app.StopAsync();

        Assert.Equal("finished", await probe.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        var history = await handle.FetchHistoryAsync();
        var completed = Assert.Single(history.Events, e => e.EventType == EventType.ActivityTaskCompleted);
        Assert.Contains("finished", completed.ActivityTaskCompletedEventAttributes.Result.Payloads_[0].Data.ToStringUtf8(), StringComparison.Ordinal);
        await handle.TerminateAsync("test over: no worker is left to complete the run");
    }
}
