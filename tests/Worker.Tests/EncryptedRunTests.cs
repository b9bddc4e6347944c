using EventProcessor.DevHost;
using EventProcessor.DownstreamStubs;
using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// The trigger and the worker as deployed, both configured with the same keys: what one encrypts
/// the other reads, and Temporal stores nothing of the event in plaintext. The worker is the built
/// executable configured by environment variables, as in its container; in its own process it also
/// leaves this process's metrics to the local run's tests.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class EncryptedRunTests(TemporalServerFixture temporal)
{

    [Fact]
    public async Task A_run_started_by_the_trigger_completes_on_the_worker_with_every_payload_encrypted_in_the_history()
    {
        await using var downstream = await DownstreamStandIns.StartAsync();
        SampleWorld.Arrange(downstream);
        var settings = WorkerProcess.EncryptedSettings(temporal, downstream, shutdownTimeoutSeconds: 10);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var sample = SampleFile.Load(SampleFile.FindDirectory()).Single(s => s.DetailType == "PasswordResetRequestedEvent").WithNewEventId();

        using var worker = WorkerProcess.Start(settings);
        try
        {
            var trigger = TriggerComposition.Create(configuration, NullLoggerFactory.Instance);
            var started = await trigger.Handler.HandleAsync(sample.Json, DateTimeOffset.UtcNow.AddSeconds(20), CancellationToken.None);
            var decoding = await temporal.ConnectClientAsync(new TemporalClientConnectOptions { DataConverter = EventProcessorDataConverter.Create(configuration) });
            var result = decoding.GetWorkflowHandle(started.WorkflowId, started.RunId).GetResultAsync();
            var exited = worker.WaitForExitAsync();
            await Task.WhenAny(result, exited).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(exited.IsCompleted, $"the worker exited with {(exited.IsCompleted ? worker.ExitCode : 0)}");
            await result;
            await AssertEncryptedAsync(started.WorkflowId, started.RunId, downstream);
        }
        finally
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }
    }

    private async Task AssertEncryptedAsync(string workflowId, string runId, DownstreamStandIns downstream)
    {
        // The fixture's client has no codec: it sees what Temporal stores.
        var history = await temporal.Client.GetWorkflowHandle(workflowId, runId).FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.WorkflowExecutionCompleted);
        Assert.True(downstream.RequestCounts.GetValueOrDefault("Smtp") > 0, "the workflow sent no mail: the worker did not read its input");
        var payloads = StoredPayloads(history.Events).ToList();
        Assert.True(payloads.Count(p => p.Event == EventType.WorkflowExecutionStarted) > 1, "the start stored no input or no memo");
        Assert.Contains(payloads, p => p.Event == EventType.ActivityTaskScheduled);
        Assert.Contains(payloads, p => p.Event == EventType.ActivityTaskCompleted);
        Assert.All(payloads, p =>
        {
            Assert.Equal(AesGcmPayloadCodec.EncryptedEncoding, p.Payload.Metadata[AesGcmPayloadCodec.EncodingMetadataKey].ToStringUtf8());
            Assert.Equal(WorkerProcess.KeyId, p.Payload.Metadata[AesGcmPayloadCodec.KeyIdMetadataKey].ToStringUtf8());
        });
        Assert.DoesNotContain(SampleWorld.PasswordResetToken, history.ToJson(), StringComparison.Ordinal);
    }

    private static IEnumerable<(EventType Event, Payload Payload)> StoredPayloads(IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            IEnumerable<Payload>? payloads = e.EventType switch
            {
                EventType.WorkflowExecutionStarted => [
                    .. e.WorkflowExecutionStartedEventAttributes.Input?.Payloads_ ?? [],
                    .. e.WorkflowExecutionStartedEventAttributes.Memo?.Fields.Values ?? []],
                EventType.ActivityTaskScheduled => e.ActivityTaskScheduledEventAttributes.Input?.Payloads_,
                EventType.ActivityTaskCompleted => e.ActivityTaskCompletedEventAttributes.Result?.Payloads_,
                EventType.WorkflowExecutionCompleted => e.WorkflowExecutionCompletedEventAttributes.Result?.Payloads_,
                _ => null,
            };
            foreach (var payload in payloads ?? [])
            {
                yield return (e.EventType, payload);
            }
        }
    }
}
