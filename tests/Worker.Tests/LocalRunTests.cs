using System.Net;
using System.Text.RegularExpressions;
using EventProcessor.DevHost;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Logging;

namespace EventProcessor.Worker.Tests;

public sealed class LocalRunTests(LocalRunFixture local) : IClassFixture<LocalRunFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_local_run_keeps_payloads_readable_and_says_encryption_is_off()
    {
        Assert.False(local.Run.Encryption.Enabled);
        Assert.Contains("encryption is OFF", local.Run.Encryption.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sample_has_a_registered_workflow()
    {
        var missing = local.Results.Where(r => r.Status == SampleStatus.NotRegistered).Select(r => r.DetailType).ToList();

        Assert.True(missing.Count == 0, $"Samples whose workflow is not in EventWorkflows.Types: {string.Join(", ", missing)}");
        Assert.Equal(29, local.Results.Count);
    }

    [Fact]
    public void Every_registered_sample_completes_with_the_downstream_calls_its_workflow_makes()
    {
        var ran = local.Results.Where(r => r.Status != SampleStatus.NotRegistered).ToList();

        Assert.NotEmpty(ran);
        Assert.All(ran, row =>
        {
            Assert.True(row.Status == SampleStatus.Completed, $"{row.DetailType}: {row.Status}: {row.Error}");
            Assert.True(SampleWorld.ExpectedApis.TryGetValue(row.DetailType, out var expected), $"SampleWorld.ExpectedApis has no entry for {row.DetailType}");
            foreach (var api in expected)
            {
                Assert.True(row.DownstreamCalls.GetValueOrDefault(api) > 0, $"{row.DetailType} made no {api} call: {string.Join(", ", row.DownstreamCalls)}");
            }
        });
    }

    [Fact]
    public void The_table_lists_every_sample_with_its_workflow_status_calls_and_duration()
    {
        using var output = new StringWriter();

        ResultTable.Write(output, local.Results, countsKnown: true);

        var text = output.ToString();
        var ticketCommented = local.Results.Single(r => r.DetailType == "TicketCommentedEvent");
        Assert.Contains("Event type", text, StringComparison.Ordinal);
        Assert.Matches($@"TicketCommentedEvent\s+\| {Regex.Escape(ticketCommented.WorkflowId!)}\s+\| Completed\s+\| {ticketCommented.TotalDownstreamCalls} \(Jira \d+, Platform \d+, Smtp \d+\)\s+\| \d+ ms", text);
        Assert.Contains($"{local.Results.Count(r => r.Status == SampleStatus.Completed)} of {local.Results.Count} samples completed.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_serve_the_product_counters_and_the_SDK_metrics_after_the_samples_ran()
    {
        using var http = new HttpClient();

        var metrics = await Eventually.ValueAsync(
            () => http.GetStringAsync(new Uri($"{local.Run.Url}/metrics")),
            text => text.Contains("eventprocessor_eventprocessor_events_processed{event_type=\"TicketCommentedEvent\",outcome=\"completed\"} 1", StringComparison.Ordinal),
            Timeout,
            "the events-processed counter of TicketCommented");

        Assert.Matches(@"eventprocessor_eventprocessor_downstream_calls\{api=""Platform"",status=""503""\} 1", metrics);
        Assert.Matches(@"eventprocessor_eventprocessor_downstream_calls\{api=""Jira"",status=""200""\} \d+", metrics);
        Assert.Matches(@"eventprocessor_eventprocessor_activity_failures\{activity=""[A-Za-z]+"",error_type=""Platform[A-Za-z]+""\} 1", metrics);
        Assert.Matches(@"temporalio_temporal_request\{[^}]*operation=""RespondActivityTaskCompleted""[^}]*\} \d+", metrics);
        var completed = Regex.Matches(metrics, @"eventprocessor_eventprocessor_events_processed\{event_type=""\w+"",outcome=""completed""\} (\d+)")
            .Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(local.Results.Count(r => r.Status == SampleStatus.Completed), completed);
    }

    [Fact]
    public async Task Health_and_readiness_answer_while_the_worker_polls()
    {
        using var http = new HttpClient();

        using var health = await http.GetAsync(new Uri($"{local.Run.Url}/healthz"));
        using var ready = await http.GetAsync(new Uri($"{local.Run.Url}/readyz"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(LocalRun.TaskQueue, await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_carry_the_workflow_run_and_event_ids_and_the_failed_activity()
    {
        var ticketCommented = local.Results.Single(r => r.DetailType == "TicketCommentedEvent");
        var eventId = EventIdOf(ticketCommented.WorkflowId!);

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(local.Logs.Entries.FirstOrDefault(e => e.Message == $"Event {eventId} (TicketCommentedEvent) completed")),
            e => e is not null,
            Timeout,
            "the completion log line of TicketCommented");

        Assert.Equal(ticketCommented.WorkflowId, finished!.Scope["WorkflowId"]);
        Assert.False(string.IsNullOrEmpty(finished.Scope["RunId"]?.ToString()));
        Assert.Equal(eventId, finished.Scope["EventId"]);

        var failure = Assert.Single(local.Logs.Entries, e => e.Level == LogLevel.Warning && e.Category == "EventProcessor.Worker.Activities");
        Assert.StartsWith("Activity ", failure.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(failure.Scope["Activity"]?.ToString()));
        var workflowId = Assert.IsType<string>(failure.Scope["WorkflowId"]);
        var row = local.Results.Single(r => r.WorkflowId == workflowId);
        Assert.Equal(EventIdOf(workflowId), failure.Scope["EventId"]);
        Assert.Equal(row.DetailType, failure.Scope["EventType"]);
        Assert.False(string.IsNullOrEmpty(failure.Scope["RunId"]?.ToString()));
    }

    [Fact]
    public void Logs_never_carry_a_configured_secret_or_the_password_reset_link()
    {
        var secrets = local.Run.Downstream!.Configuration
            .Where(s => Regex.IsMatch(s.Key, "(Token|ApiKey|Secret|Password)$"))
            .Select(s => s.Value!)
            .Append(SampleWorld.PasswordResetToken)
            .ToList();
        Assert.True(secrets.Count >= 5, string.Join(", ", secrets));
        Assert.NotEmpty(local.Logs.Entries);

        var leaks = local.Logs.Entries
            .SelectMany(e => secrets.Where(s => e.AllText.Contains(s, StringComparison.Ordinal)).Select(s => $"{e.Category}: {s}"))
            .ToList();

        Assert.Empty(leaks);
    }

    /// <summary>Workflow ids are <c>{ShortName}-{event id}</c> and short names hold no dash.</summary>
    private static string EventIdOf(string workflowId) => workflowId[(workflowId.IndexOf('-', StringComparison.Ordinal) + 1)..];
}
