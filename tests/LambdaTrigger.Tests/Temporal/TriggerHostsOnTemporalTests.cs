using System.Net;
using System.Text;
using System.Text.Json;
using EventProcessor.LambdaTrigger.Tests.Support;
using EventProcessor.TestSupport;

namespace EventProcessor.LambdaTrigger.Tests.Temporal;

/// <summary>The two hosts end to end on a real Temporal frontend: the Lambda loop and the HTTP intake.</summary>
[Collection(TemporalCollection.Name)]
public sealed class TriggerHostsOnTemporalTests(TemporalServerFixture temporal)
{
    [Fact]
    public async Task The_runtime_loop_answers_with_the_run_it_started_and_the_same_run_on_redelivery()
    {
        await using var runtime = await RuntimeHarness.StartAsync(TemporalTrigger.Settings(temporal, TaskQueues.Unique()));
        var json = Samples.WithFreshId("CrawlerIncidentEvent", out var eventId);

        runtime.Api.Enqueue(json, DateTimeOffset.UtcNow.AddSeconds(20));
        var first = await runtime.Api.NextPostAsync(TimeSpan.FromSeconds(25));
        runtime.Api.Enqueue(json, DateTimeOffset.UtcNow.AddSeconds(20));
        var second = await runtime.Api.NextPostAsync(TimeSpan.FromSeconds(25));

        Assert.EndsWith("/response", first.Path, StringComparison.Ordinal);
        Assert.EndsWith("/response", second.Path, StringComparison.Ordinal);
        using var firstBody = JsonDocument.Parse(first.Body);
        using var secondBody = JsonDocument.Parse(second.Body);
        var workflowId = firstBody.RootElement.GetProperty("workflowId").GetString()!;
        var runId = firstBody.RootElement.GetProperty("runId").GetString();
        Assert.Equal($"CrawlerIncident-{eventId}", workflowId);
        Assert.False(firstBody.RootElement.GetProperty("duplicate").GetBoolean());
        Assert.True(secondBody.RootElement.GetProperty("duplicate").GetBoolean());
        Assert.Equal(runId, secondBody.RootElement.GetProperty("runId").GetString());
        Assert.Equal(runId, (await temporal.Client.GetWorkflowHandle(workflowId).DescribeAsync()).RunId);
        await TemporalTrigger.TerminateAsync(temporal.Client, [workflowId]);
    }

    [Fact]
    public async Task The_intake_answers_202_with_the_workflow_ids_of_an_array_and_marks_a_resend_as_duplicate()
    {
        await using var intake = await IntakeServer.StartAsync(TemporalTrigger.Settings(temporal, TaskQueues.Unique()));
        var a = Encoding.UTF8.GetString(Samples.WithFreshId("UserCreatedEvent", out var idA));
        var b = Encoding.UTF8.GetString(Samples.WithFreshId("ReportCanceledEvent", out var idB));
        var body = Encoding.UTF8.GetBytes($"[{a},{b}]");

        using var response = await intake.PostAsync(body);
        using var resend = await intake.PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var workflows = json.RootElement.GetProperty("workflows").EnumerateArray().ToList();
        Assert.Equal([$"UserCreated-{idA}", $"ReportCanceled-{idB}"], workflows.Select(w => w.GetProperty("workflowId").GetString()));
        Assert.All(workflows, w => Assert.False(w.GetProperty("duplicate").GetBoolean()));
        foreach (var workflow in workflows)
        {
            var described = await temporal.Client.GetWorkflowHandle(workflow.GetProperty("workflowId").GetString()!).DescribeAsync();
            Assert.Equal(workflow.GetProperty("runId").GetString(), described.RunId);
        }

        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        using var again = JsonDocument.Parse(await resend.Content.ReadAsStringAsync());
        Assert.All(again.RootElement.GetProperty("workflows").EnumerateArray(), w => Assert.True(w.GetProperty("duplicate").GetBoolean()));
        await TemporalTrigger.TerminateAsync(temporal.Client, workflows.Select(w => w.GetProperty("workflowId").GetString()!));
    }

    [Fact]
    public async Task A_single_event_is_accepted_too()
    {
        await using var intake = await IntakeServer.StartAsync(TemporalTrigger.Settings(temporal, TaskQueues.Unique()));

        using var response = await intake.PostAsync(Samples.WithFreshId("ProjectCreatedEvent", out var eventId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var workflow = Assert.Single(json.RootElement.GetProperty("workflows").EnumerateArray());
        Assert.Equal(eventId, workflow.GetProperty("eventId").GetString());
        Assert.Equal($"ProjectCreated-{eventId}", workflow.GetProperty("workflowId").GetString());
        await TemporalTrigger.TerminateAsync(temporal.Client, [$"ProjectCreated-{eventId}"]);
    }
}
