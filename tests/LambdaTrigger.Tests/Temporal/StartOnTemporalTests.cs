using System.Text.Json;
using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Tests.Support;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace EventProcessor.LambdaTrigger.Tests.Temporal;

/// <summary>The handler against a real Temporal frontend: what a started run looks like, and exactly-once starts.</summary>
[Collection(TemporalCollection.Name)]
public sealed class StartOnTemporalTests(TemporalServerFixture temporal)
{
    private static readonly string[] OptionalAttributes = ["projectUuid", "ticketKey", "reportId"];

    public static TheoryData<string> ValidSamples() => new(Samples.ValidNames());

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public async Task Every_sample_starts_its_workflow_type_with_its_id_search_attributes_summary_memo_and_input(string detailType)
    {
        await using var trigger = TemporalTrigger.Create(temporal, TaskQueues.Unique());
        var json = Samples.WithFreshId(detailType, out var eventId);
        using var sample = JsonDocument.Parse(json);
        var envelope = sample.RootElement;
        var expectedId = $"{detailType[..^"Event".Length]}-{eventId}";

        var result = await trigger.DeliverAsync(json);

        Assert.Equal(new(eventId, expectedId, result.RunId, false), result);
        var description = await temporal.Client.GetWorkflowHandle(expectedId).DescribeAsync();
        Assert.Equal(detailType + "Workflow", description.WorkflowType);
        Assert.Equal(result.RunId, description.RunId);
        Assert.Equal(trigger.TaskQueue, description.TaskQueue);
        Assert.Equal(WorkflowExecutionStatus.Running, description.Status);

        var attributes = description.TypedSearchAttributes;
        Assert.Equal(detailType, Keyword(attributes, "EventType"));
        Assert.Equal(envelope.GetProperty("source").GetString(), Keyword(attributes, "EventSource"));
        Assert.Equal(eventId, Keyword(attributes, "EventId"));
        foreach (var field in OptionalAttributes)
        {
            var expected = envelope.GetProperty("detail").TryGetProperty(field, out var value) ? value.GetString() : null;
            Assert.Equal(expected, Keyword(attributes, char.ToUpperInvariant(field[0]) + field[1..]));
        }

        var parsed = new EventParser().Parse(json);
        var summary = await description.GetStaticSummaryAsync();
        Assert.Equal(parsed.Summary, summary);
        Assert.StartsWith(detailType[..^"Event".Length] + " ", summary, StringComparison.Ordinal);
        Assert.Equal(parsed.Details, await description.GetStaticDetailsAsync());

        Assert.Equal(eventId, await description.Memo["eventId"].ToValueAsync<string>());
        Assert.Equal(envelope.GetProperty("source").GetString(), await description.Memo["eventSource"].ToValueAsync<string>());
        Assert.Equal(DateTimeOffset.Parse(envelope.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(await description.Memo["eventTime"].ToValueAsync<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(detailType, await description.Memo["detailType"].ToValueAsync<string>());

        // The input decodes as the workflow's EventInput<TDetail> and carries the whole detail.
        var history = await temporal.Client.GetWorkflowHandle(expectedId).FetchHistoryAsync();
        var started = history.Events.First().WorkflowExecutionStartedEventAttributes;
        var input = temporal.Client.Options.DataConverter.PayloadConverter.ToValue(started.Input.Payloads_[0], parsed.Definition.InputType);
        Assert.Equal(JsonSerializer.Serialize(parsed.CreateWorkflowInput()), JsonSerializer.Serialize(input));
    }

    [Fact]
    public async Task Every_invalid_sample_is_rejected_with_its_error_and_starts_nothing()
    {
        await using var trigger = TemporalTrigger.Create(temporal, TaskQueues.Unique());
        var namedRuns = new List<string>();
        foreach (var name in Samples.InvalidNames())
        {
            var error = await Assert.ThrowsAsync<EventValidationException>(() => trigger.DeliverAsync(Samples.Invalid(name)));
            var (code, message) = Samples.Expected(name);
            Assert.Equal(code, error.Code.ToString());
            Assert.Equal(message, error.Message);
            if (error.EventId is { } id && error.DetailType is { } type && Events.Catalog.EventCatalog.TryGet(type, out var definition))
            {
                namedRuns.Add(definition.WorkflowId(id));
            }
        }

        Assert.Empty(trigger.Starter.Calls);
        Assert.NotEmpty(namedRuns);
        foreach (var workflowId in namedRuns)
        {
            var missing = await Assert.ThrowsAsync<RpcException>(() => temporal.Client.GetWorkflowHandle(workflowId).DescribeAsync());
            Assert.Equal(RpcException.StatusCode.NotFound, missing.Code);
        }

        // The same lookup does find a run that was started, so the NotFounds above mean something.
        var valid = await trigger.DeliverAsync(Samples.WithFreshId("ReportUpdatedEvent", out _));
        Assert.Equal(valid.RunId, (await temporal.Client.GetWorkflowHandle(valid.WorkflowId).DescribeAsync()).RunId);
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_in_a_row_yields_exactly_one_run()
    {
        using var log = new StringWriter();
        using var logs = new Microsoft.Extensions.Logging.LoggerFactory([new LambdaTrigger.Runtime.LambdaConsoleLoggerProvider(output: log)]);
        await using var trigger = TemporalTrigger.Create(temporal, TaskQueues.Unique(), logs);
        var json = Samples.WithFreshId("TicketCommentedEvent", out var eventId);

        var first = await trigger.DeliverAsync(json);
        var second = await trigger.DeliverAsync(json);
        var third = await trigger.DeliverAsync(json);

        Assert.False(first.Duplicate);
        Assert.Equal(first with { Duplicate = true }, second);
        Assert.Equal(first with { Duplicate = true }, third);
        Assert.Equal(first.RunId, (await temporal.Client.GetWorkflowHandle(first.WorkflowId).DescribeAsync()).RunId);
        var duplicates = log.ToString().Split(Environment.NewLine).Where(l => l.Contains("Duplicate delivery", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, duplicates.Count);
        Assert.All(duplicates, l => Assert.Contains($"event {eventId}: workflow {first.WorkflowId} already has run {first.RunId}", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_at_once_yields_exactly_one_run()
    {
        await using var trigger = TemporalTrigger.Create(temporal, TaskQueues.Unique());
        var json = Samples.WithFreshId("ReportRunStoppedEvent", out _);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => trigger.DeliverAsync(json))));

        Assert.Single(results, r => !r.Duplicate);
        Assert.Single(results.Select(r => r.RunId).Distinct());
        Assert.Equal(results[0].RunId, (await temporal.Client.GetWorkflowHandle(results[0].WorkflowId).DescribeAsync()).RunId);
    }

    [Fact]
    public async Task An_event_redelivered_after_its_run_completed_yields_no_second_run()
    {
        await using var trigger = TemporalTrigger.Create(temporal, TaskQueues.Unique());
        var json = Samples.WithFreshId("MeetingScheduledEvent", out _);
        using var worker = new TemporalWorker(temporal.Client, new TemporalWorkerOptions(trigger.TaskQueue).AddWorkflow<CompleteAtOnceWorkflow>());

        await worker.ExecuteAsync(async () =>
        {
            var first = await trigger.DeliverAsync(json);
            var handle = temporal.Client.GetWorkflowHandle(first.WorkflowId, first.RunId);
            Assert.Equal("MeetingScheduledEventWorkflow", await handle.GetResultAsync<string>().WaitAsync(FakeRuntimeApi.HangGuard));

            var again = await trigger.DeliverAsync(json);

            Assert.Equal(first with { Duplicate = true }, again);
            var latest = await temporal.Client.GetWorkflowHandle(first.WorkflowId).DescribeAsync();
            Assert.Equal(first.RunId, latest.RunId);
            Assert.Equal(WorkflowExecutionStatus.Completed, latest.Status);
        });
    }

    private static string? Keyword(SearchAttributeCollection attributes, string name) =>
        attributes.TryGetValue(SearchAttributeKey.CreateKeyword(name), out var value) ? value : null;
}
