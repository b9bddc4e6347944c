using System.Collections.Concurrent;
using System.Text.Json;
using EventProcessor.DevHost;
using EventProcessor.DownstreamStubs;
using EventProcessor.Encryption;
using EventProcessor.Events.Validation;
using EventProcessor.Hosting;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Configuration;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// The worker learns a run's event from what the run was started with, not from its workflow id:
/// a run re-started by hand, or started under any other id, still logs its event id in every
/// activity's scope. The activities learn it from headers the workflow adds when it schedules them
/// (the context-propagation pattern of Temporal's .NET samples: a workflow outbound interceptor
/// sets them in ScheduleActivityAsync, the activity inbound interceptor reads ExecuteActivityInput.Headers),
/// which pass through the encryption codec like every other payload. The worker is the built
/// executable, as deployed, read through its JSON console lines; in its own process it also leaves
/// this process's metrics to the local run's tests.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class RunEventScopeTests(TemporalServerFixture temporal)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_activity_of_a_run_whose_id_does_not_name_its_event_logs_the_event_id()
    {
        await using var downstream = await DownstreamStandIns.StartAsync();
        SampleWorld.Arrange(downstream);
        var settings = WorkerProcess.EncryptedSettings(temporal, downstream, shutdownTimeoutSeconds: 5);
        var client = await temporal.ConnectClientAsync(new TemporalClientConnectOptions
        {
            DataConverter = EventProcessorDataConverter.Create(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()),
        });
        var lines = new ConcurrentQueue<string>();
        using var worker = WorkerProcess.Start(settings, lines);
        try
        {
            // A re-run started by hand (the CLI's way: with the event's search attributes), then a
            // run started with nothing but its input; neither id follows {ShortName}-{event id}.
            foreach (var withSearchAttributes in new[] { true, false })
            {
                var sample = SampleFile.Load(SampleFile.FindDirectory()).Single(s => s.DetailType == "PasswordResetRequestedEvent").WithNewEventId();
                var parsed = new EventParser().Parse(sample.Json);
                var eventId = parsed.Envelope.Id;
                var workflowId = $"rerun-by-hand-{Guid.NewGuid():N}";
                Assert.NotEqual(parsed.WorkflowId, workflowId);
                var options = new WorkflowOptions(workflowId, settings["Temporal:TaskQueue"]!);
                if (withSearchAttributes)
                {
                    options.TypedSearchAttributes = parsed.SearchAttributes;
                }

                var handle = await client.StartWorkflowAsync(parsed.WorkflowType, [parsed.CreateWorkflowInput()], options);
                var exited = worker.WaitForExitAsync();
                var result = handle.GetResultAsync();
                await Task.WhenAny(result, exited).WaitAsync(Timeout);
                Assert.False(exited.IsCompleted, $"the worker exited: {string.Join('\n', lines)}");
                await result;

                // The email activity logs its batch on success; its scope must name the event.
                var mailed = await Eventually.ValueAsync(
                    () => Task.FromResult(Logged(lines).FirstOrDefault(l => l.Category.StartsWith("EventProcessor.Activities.Email", StringComparison.Ordinal)
                        && l.Scope.GetValueOrDefault("WorkflowId") == workflowId)),
                    l => l is not null,
                    Timeout,
                    $"the email activity's log line of {workflowId}");
                Assert.Equal(eventId, mailed!.Scope["EventId"]);
                Assert.Equal("PasswordResetRequestedEvent", mailed.Scope["EventType"]);
                Assert.Equal("SendTemplated", mailed.Scope["Activity"]);

                var finished = await Eventually.ValueAsync(
                    () => Task.FromResult(Logged(lines).FirstOrDefault(l => l.Message == $"Event {eventId} (PasswordResetRequestedEvent) completed")),
                    l => l is not null,
                    Timeout,
                    $"the completion log line of {workflowId}");
                Assert.Equal(workflowId, finished!.Scope["WorkflowId"]);

                // The headers are stored encrypted like every other payload of the run.
                var history = await temporal.Client.GetWorkflowHandle(workflowId).FetchHistoryAsync();
                var scheduled = history.Events.Where(e => e.EventType == EventType.ActivityTaskScheduled).ToList();
                Assert.NotEmpty(scheduled);
                Assert.All(scheduled, e =>
                {
                    var headers = e.ActivityTaskScheduledEventAttributes.Header.Fields;
                    Assert.Contains("eventprocessor-event-id", headers.Keys);
                    Assert.All(headers.Values, p => Assert.Equal(AesGcmPayloadCodec.EncryptedEncoding, p.Metadata[AesGcmPayloadCodec.EncodingMetadataKey].ToStringUtf8()));
                });
            }
        }
        finally
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }
    }

    /// <summary>One JSON console line: its category, message and the string values of its scopes.</summary>
    private sealed record LoggedLine(string Category, string Message, IReadOnlyDictionary<string, string?> Scope);

    private static List<LoggedLine> Logged(IEnumerable<string> lines)
    {
        var logged = new List<LoggedLine>();
        foreach (var line in lines.Where(l => l.StartsWith('{')))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var scope = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (root.TryGetProperty("Scopes", out var scopes))
            {
                foreach (var property in scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).SelectMany(s => s.EnumerateObject()))
                {
                    scope[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }

            logged.Add(new LoggedLine(root.GetProperty("Category").GetString()!, root.GetProperty("Message").GetString()!, scope));
        }

        return logged;
    }
}
