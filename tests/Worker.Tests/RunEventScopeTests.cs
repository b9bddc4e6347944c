using System.Security.Cryptography;
using EventProcessor.DevHost;
using EventProcessor.DownstreamStubs;
using EventProcessor.Encryption;
using EventProcessor.Events.Validation;
using EventProcessor.Hosting;
using EventProcessor.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// The worker learns a run's event from what the run was started with, not from its workflow id:
/// a run re-started by hand, or started under any other id, still logs its event id in every
/// activity's scope. The activities learn it from headers the workflow adds when it schedules them
/// (the context-propagation pattern of Temporal's .NET samples: a workflow outbound interceptor
/// sets them in ScheduleActivityAsync, the activity inbound interceptor reads ExecuteActivityInput.Headers),
/// which pass through the encryption codec like every other payload.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class RunEventScopeTests(TemporalServerFixture temporal)
{
    private const string KeyId = "2026-11";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_activity_of_a_run_whose_id_does_not_name_its_event_logs_the_event_id(bool withSearchAttributes)
    {
        await using var downstream = await DownstreamStandIns.StartAsync();
        SampleWorld.Arrange(downstream);
        var taskQueue = TaskQueues.Unique();
        var settings = new Dictionary<string, string?>(downstream.Configuration)
        {
            ["Temporal:Address"] = temporal.Address,
            ["Temporal:Namespace"] = temporal.Namespace,
            ["Temporal:TaskQueue"] = taskQueue,
            ["Encryption:CurrentKeyId"] = KeyId,
            [$"Encryption:Keys:{KeyId}"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize)),
            ["Worker:ShutdownTimeoutSeconds"] = "5",
            ["Urls"] = "http://127.0.0.1:0",
        };
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs);
        builder.Services.AddEventProcessorWorker(builder.Configuration);
        await using var app = builder.Build();
        await app.StartAsync();

        var sample = SampleFile.Load(SampleFile.FindDirectory()).Single(s => s.DetailType == "PasswordResetRequestedEvent").WithNewEventId();
        var parsed = new EventParser().Parse(sample.Json);
        var workflowId = $"rerun-by-hand-{Guid.NewGuid():N}";
        Assert.NotEqual(parsed.WorkflowId, workflowId);
        var options = new WorkflowOptions(workflowId, taskQueue);
        if (withSearchAttributes)
        {
            options.TypedSearchAttributes = parsed.SearchAttributes;
        }

        var client = await temporal.ConnectClientAsync(new TemporalClientConnectOptions
        {
            DataConverter = EventProcessorDataConverter.Create(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()),
        });
        var handle = await client.StartWorkflowAsync(parsed.WorkflowType, [parsed.CreateWorkflowInput()], options);
        await handle.GetResultAsync().WaitAsync(Timeout);

        // The email activity logs its batch on success, through the worker's logger factory.
        var mailed = Assert.Single(logs.Entries, e => e.Category.StartsWith("EventProcessor.Activities.Email", StringComparison.Ordinal)
            && e.Scope.GetValueOrDefault("WorkflowId") as string == workflowId);
        Assert.Equal(parsed.Envelope.Id, mailed.Scope["EventId"]);
        Assert.Equal("PasswordResetRequestedEvent", mailed.Scope["EventType"]);
        Assert.Equal("SendTemplated", mailed.Scope["Activity"]);

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(logs.Entries.FirstOrDefault(e => e.Message == $"Event {parsed.Envelope.Id} (PasswordResetRequestedEvent) completed")),
            e => e is not null,
            Timeout,
            "the completion log line of the run");
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
        await app.StopAsync();
    }
}
