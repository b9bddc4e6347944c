using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EventProcessor.DownstreamStubs;
using EventProcessor.Encryption;
using EventProcessor.Events.Validation;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Starting;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.Benchmarks;

/// <summary>
/// <c>crash</c>: recovery after a worker dies. Posts N sample events through the trigger's handler
/// (as the Lambda does), runs the worker host in a child process, kills it with SIGKILL while the
/// events are processed (K times, each once another share of the runs has closed) and starts a new
/// one at once, as an orchestrator would. Prints how long after the kill and after the first event
/// every run had closed, how many closed completed, and what the server had to time out: the
/// activities and workflow tasks lost with the dead workers. Against the embedded server unless
/// TEMPORAL_ADDRESS is set; the integrations are the stand-ins of the local run, answering after
/// --latency-ms so that activities are in flight when the worker dies.
/// Options: --events N (default 200), --kills K (3), --latency-ms M (100), --timeout-s S (300).
/// </summary>
public static class CrashBenchmark
{
    public const string WorkerCommand = "crash-worker";
    private const string TaskQueue = "crash-benchmark";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkOptions(args);
        var events = options.Int("events", 200);
        var kills = options.Int("kills", 3);
        var latency = TimeSpan.FromMilliseconds(options.Int("latency-ms", 100));
        var timeout = TimeSpan.FromSeconds(options.Int("timeout-s", 300));

        await using var server = await TriggerBenchmarkServer.StartAsync();
        await using var downstream = await DownstreamStandIns.StartAsync();
        SampleWorld.Arrange(downstream);
        foreach (var stub in new[] { downstream.JiraServer, downstream.PlatformServer, downstream.AlgoliaServer, downstream.HubSpotServer, downstream.PusherServer })
        {
            stub.AddGlobalProcessingDelay(latency);
        }

        Console.WriteLine($"crash benchmark: Temporal {server.Address} ({(server.IsEmbedded ? "embedded" : "TEMPORAL_ADDRESS")}), {events} events, {kills} SIGKILL(s), stand-ins answer after {latency.TotalMilliseconds:F0} ms");

        var settings = new TemporalSettings(server.Address, server.Namespace, TaskQueue, null, TemporalTlsSettings.None);
        var converter = EventProcessorDataConverter.Create(EncryptionSettings.Disabled);
        var trigger = new TriggerHandler(new EventParser(), new TemporalWorkflowStarter(new TemporalGrpcConnection(settings), new WorkflowPayloads(EncryptionSettings.Disabled)), TriggerOptions.DefaultStartMargin);
        var client = await TemporalClient.ConnectAsync(new(server.Address) { Namespace = server.Namespace, DataConverter = converter });

        var worker = WorkerProcess.Start(server, downstream);
        var closed = new ConcurrentQueue<(string WorkflowId, TimeSpan At, bool Completed)>();
        var clock = Stopwatch.StartNew();
        var samples = TriggerSampleEvents.Load();
        var parser = new EventParser();
        var waits = new List<Task>();
        using var giveUp = new CancellationTokenSource(timeout);
        for (var i = 0; i < events; i++)
        {
            var json = samples[i % samples.Count].Fresh().Json;
            await trigger.HandleAsync(json, DateTimeOffset.UtcNow.AddSeconds(30), CancellationToken.None);
            var workflowId = parser.Parse(json).WorkflowId;
            waits.Add(WaitAsync(client.GetWorkflowHandle(workflowId), closed, clock, giveUp.Token));
        }

        Console.WriteLine($"posted {events} events in {clock.Elapsed.TotalSeconds:F1} s");
        var killedAt = new List<TimeSpan>();
        try
        {
            for (var k = 1; k <= kills; k++)
            {
                var share = events * k / (kills + 1);
                while (closed.Count < share && !giveUp.IsCancellationRequested)
                {
                    await Task.Delay(20, giveUp.Token);
                }

                await worker.KillAsync();
                killedAt.Add(clock.Elapsed);
                Console.WriteLine($"SIGKILL {k} at {clock.Elapsed.TotalSeconds:F1} s with {closed.Count}/{events} runs closed; new worker started");
                worker = WorkerProcess.Start(server, downstream);
            }

            await Task.WhenAll(waits);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"NOT ALL CLOSED: {closed.Count}/{events} runs closed within {timeout.TotalSeconds:F0} s");
        }
        finally
        {
            await worker.StopAsync();
        }

        var closings = closed.ToList();
        var last = closings.Count == 0 ? TimeSpan.Zero : closings.Max(c => c.At);
        var lastKill = killedAt.Count == 0 ? TimeSpan.Zero : killedAt[^1];
        var lost = await CountTimeoutsAsync(client, closings.Select(c => c.WorkflowId));
        Console.WriteLine($"runs closed: {closings.Count}/{events}, completed {closings.Count(c => c.Completed)}, failed or other {closings.Count(c => !c.Completed)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"every run closed {last.TotalSeconds:F1} s after the first event, {(last - lastKill).TotalSeconds:F1} s after the last SIGKILL"));
        Console.WriteLine($"lost with the killed workers and retried after a timeout: {lost.Activities} activity attempt(s) ({lost.Heartbeat} by heartbeat timeout, {lost.StartToClose} by start-to-close), {lost.WorkflowTasks} workflow task(s)");
        if (closings.Count > 0 && killedAt.Count > 0)
        {
            await PrintSlowestAsync(client, closings.MaxBy(c => c.At).WorkflowId, clock, lastKill);
        }

        return closings.Count == events ? 0 : 1;
    }

    /// <summary>The slowest run's events after the last kill, in seconds after it: where the time went.</summary>
    private static async Task PrintSlowestAsync(TemporalClient client, string workflowId, Stopwatch clock, TimeSpan lastKill)
    {
        var history = await client.GetWorkflowHandle(workflowId).FetchHistoryAsync();
        var killTime = DateTimeOffset.UtcNow - (clock.Elapsed - lastKill);
        var steps = history.Events
            .Where(e => e.EventTime.ToDateTimeOffset() >= killTime.AddSeconds(-25))
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{(e.EventTime.ToDateTimeOffset() - killTime).TotalSeconds:+0.0;-0.0} {e.EventType}"));
        Console.WriteLine($"slowest run {workflowId}, s after the last SIGKILL: {string.Join(", ", steps)}");
    }

    private static async Task WaitAsync(WorkflowHandle handle, ConcurrentQueue<(string, TimeSpan, bool)> closed, Stopwatch clock, CancellationToken cancellationToken)
    {
        var completed = true;
        try
        {
            await handle.GetResultAsync(rpcOptions: new() { CancellationToken = cancellationToken });
        }
        catch (WorkflowFailedException)
        {
            completed = false;
        }

        closed.Enqueue((handle.Id, clock.Elapsed, completed));
    }

    private static async Task<(int Activities, int Heartbeat, int StartToClose, int WorkflowTasks)> CountTimeoutsAsync(TemporalClient client, IEnumerable<string> workflowIds)
    {
        int heartbeat = 0, startToClose = 0, workflowTasks = 0;
        foreach (var id in workflowIds)
        {
            var history = await client.GetWorkflowHandle(id).FetchHistoryAsync();
            foreach (var e in history.Events)
            {
                if (e.EventType == EventType.WorkflowTaskTimedOut)
                {
                    workflowTasks++;
                }

                // A retried attempt's started event carries the failure of the attempt before it.
                var timeout = e.EventType == EventType.ActivityTaskStarted ? e.ActivityTaskStartedEventAttributes.LastFailure?.TimeoutFailureInfo?.TimeoutType : null;
                heartbeat += timeout == TimeoutType.Heartbeat ? 1 : 0;
                startToClose += timeout == TimeoutType.StartToClose ? 1 : 0;
            }
        }

        return (heartbeat + startToClose, heartbeat, startToClose, workflowTasks);
    }
}
