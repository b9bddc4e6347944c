using System.Collections.Concurrent;
using EventProcessor.Encryption;
using EventProcessor.Events.Validation;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Starting;
using EventProcessor.LambdaTrigger.Tests.Support;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.LambdaTrigger.Tests.Temporal;

/// <summary>
/// The real handler and starter wired to the fixture's server, on a task queue of the test's own.
/// Disposing terminates the runs it started, so a real server (TEMPORAL_ADDRESS) is not littered
/// with runs no worker will ever pick up.
/// </summary>
internal sealed class TemporalTrigger : IAsyncDisposable
{
    private readonly ConcurrentBag<string> started = [];
    private readonly ITemporalClient client;

    private TemporalTrigger(TriggerHandler handler, RecordingStarter starter, string taskQueue, ITemporalClient client)
    {
        Handler = handler;
        Starter = starter;
        TaskQueue = taskQueue;
        this.client = client;
    }

    public TriggerHandler Handler { get; }

    public RecordingStarter Starter { get; }

    public string TaskQueue { get; }

    public static TemporalTrigger Create(TemporalServerFixture fixture, string taskQueue, ILoggerFactory? logs = null)
    {
        var settings = new TemporalSettings(fixture.Address, fixture.Namespace, taskQueue, null, TemporalTlsSettings.None);
        var starter = RecordingStarter.Around(new TemporalWorkflowStarter(new TemporalGrpcConnection(settings), new WorkflowPayloads(EncryptionSettings.Disabled)));
        var handler = new TriggerHandler(new EventParser(), starter, TimeSpan.FromMilliseconds(200), logs?.CreateLogger<TriggerHandler>());
        return new TemporalTrigger(handler, starter, taskQueue, fixture.Client);
    }

    public static Dictionary<string, string?> Settings(TemporalServerFixture fixture, string taskQueue)
    {
        var settings = RuntimeHarness.Settings(fixture.Address, taskQueue);
        settings["Temporal:Namespace"] = fixture.Namespace;
        return settings;
    }

    public async Task<WorkflowStartResult> DeliverAsync(byte[] eventJson)
    {
        var result = await Handler.HandleAsync(eventJson, DateTimeOffset.UtcNow.AddSeconds(20), CancellationToken.None);
        started.Add(result.WorkflowId);
        return result;
    }

    public ValueTask DisposeAsync() => new(TerminateAsync(client, started));

    /// <summary>Terminates whatever of these runs is still open; closed ones are left alone.</summary>
    public static async Task TerminateAsync(ITemporalClient client, IEnumerable<string> workflowIds)
    {
        foreach (var id in workflowIds.Distinct())
        {
            try
            {
                await client.GetWorkflowHandle(id).TerminateAsync("test finished");
            }
            catch (RpcException)
            {
                // Already closed, or never started: nothing to clean.
            }
        }
    }
}
