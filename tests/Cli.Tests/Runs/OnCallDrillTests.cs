using System.Text.Json.Nodes;
using EventProcessor.Activities.Email;
using EventProcessor.Activities.Jira;
using EventProcessor.Cli.Tests.Stubs;
using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Validation;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using WireMock;

namespace EventProcessor.Cli.Tests.Runs;

/// <summary>
/// The on-call drill of the runbook, end to end: Jira refuses every call while events come in, so
/// their runs fail; Jira is fixed; the failed runs are re-run twice with the same command. Every
/// event then did its work exactly once, nobody got a mail twice, and the list of failed runs is
/// empty, because each base run is now superseded by its successful re-run.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class OnCallDrillTests(TemporalServerFixture temporal) : IDisposable
{
    private const string Reason = "Jira credentials rotated";
    private readonly string stateFile = Path.Combine(Path.GetTempPath(), $"cli-drill-{Guid.NewGuid():N}.jsonl");

    [Fact]
    public async Task Jira_down_then_back_two_reruns_do_every_event_once_and_mail_nobody_twice()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        SampleWorld.Arrange(harness.Downstream);
        var deliveries = Enumerable.Range(0, 2).Select(_ => Event("DataDeliveryFailedEvent", d => d["runId"] = Unique("run"))).ToList();
        var meetings = Enumerable.Range(0, 2).Select(_ => Event("MeetingScheduledEvent", d => d["meetingId"] = Unique("mtg"))).ToList();
        var replies = Enumerable.Range(0, 2).Select(_ => Event("ContactMessageRepliedEvent", d => d["messageId"] = $"<{Guid.NewGuid():N}@mail.example>")).ToList();
        var contactForm = Event("ContactFormSubmittedEvent", d => d["submissionId"] = Unique("cf"));
        var incident = Event("CrawlerIncidentEvent", d =>
        {
            d["incidentId"] = Unique("inc");
            d["severity"] = "low";
        });
        List<ParsedEvent> events = [.. deliveries, .. meetings, .. replies, contactForm, incident];

        // DataDeliveryFailed mails in parallel with its Jira step. As in the incident, the mail went
        // out before Jira refused: the refusal waits until the run's other steps have closed.
        var deliveryRuns = deliveries.ToDictionary(e => $"delivery-{Detail(e, "runId")}", e => e.WorkflowId, StringComparer.Ordinal);
        var outage = JiraOutage.Begin(harness.Downstream.JiraServer, request => OtherStepsClosedAsync(harness, deliveryRuns, request));

        var handles = await Task.WhenAll(events.Select(harness.StartAsync));
        await Task.WhenAll(handles.Select(h => Assert.ThrowsAsync<Temporalio.Exceptions.WorkflowFailedException>(() => h.GetResultAsync())));
        var scope = $"TaskQueue = '{harness.TaskQueue}'";
        await FailedRuns.VisibleAsync(harness.Client, $"{scope} AND ExecutionStatus = 'Failed'", events.Count);
        var mailedBeforeRerun = harness.Downstream.Smtp.Messages.Count;
        var hubSpotCallsBeforeRerun = harness.Downstream.HubSpotServer.LogEntries.Count();
        var pushesBeforeRerun = harness.Downstream.Pusher.Events.Count;
        Assert.Equal(2 * deliveries.Count, mailedBeforeRerun);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());

        outage.End();
        string[] rerun = ["runs", "rerun", "--since", "1h", "--query", scope, "--reason", Reason, "--yes", "--state-file", stateFile];
        var first = await Cli(rerun);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"Re-run: {events.Count}, skipped: 0, failed: 0.", first.Out, StringComparison.Ordinal);
        foreach (var delivery in deliveries)
        {
            Assert.Matches($@"{delivery.WorkflowId}: re-run \(reset to event \d+, just before CreateIssueOnce failed; keeps \d+ completed step\(s\)\)", first.Out);
        }

        Assert.Matches($@"{meetings[0].WorkflowId}: re-run \(reset to event \d+, just before CreateIssueOnce failed; no step had completed before it\)", first.Out);
        await FailedRuns.AllCompletedAsync(temporal, events);

        var second = await Cli(rerun);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"Re-run: 0, skipped: {events.Count}, failed: 0.", second.Out, StringComparison.Ordinal);
        Assert.Equal(events.Count, second.Out.Split('\n').Count(l => l.Contains(": skipped (already re-run by this operation", StringComparison.Ordinal)));

        // Every event's Jira effect exists exactly once.
        var labels = harness.Downstream.Jira.CreatedIssues().SelectMany(i => i.Labels ?? []).ToList();
        string[] expectedLabels =
        [
            .. deliveryRuns.Keys,
            .. meetings.Select(m => $"meeting-{Detail(m, "meetingId")}"),
            $"contact-{Detail(contactForm, "submissionId")}",
            $"incident-{Detail(incident, "incidentId")}",
        ];
        Assert.Equal(expectedLabels.Order(StringComparer.Ordinal), labels.Order(StringComparer.Ordinal));
        var marked = harness.Downstream.Jira.CommentsOf(SampleWorld.CommentedTicket)
            .Select(c => c.Properties?.GetValueOrDefault(JiraActivities.EventMarkerKey)?["eventId"]?.GetValue<string>())
            .Where(id => id is not null)
            .ToList();
        Assert.Equal(replies.Select(r => r.Envelope.Id).Order(StringComparer.Ordinal), marked.Order(StringComparer.Ordinal));

        // Nobody got a mail twice: each message id (one per event, template and recipient) arrived once,
        // the delivery failures' mails were kept, not sent again, and the replies mailed once.
        var mails = harness.Downstream.Smtp.Messages;
        Assert.All(mails.GroupBy(m => m.MessageId), g => Assert.True(g.Count() == 1, $"{g.Key} was sent {g.Count()} times"));
        var mailsByEvent = mails.GroupBy(m => EventOf(m, events)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.All(deliveries, d => Assert.Equal(2, mailsByEvent.GetValueOrDefault(d.Envelope.Id)));
        Assert.All(replies, r => Assert.True(mailsByEvent.GetValueOrDefault(r.Envelope.Id) > 0, $"reply {r.Envelope.Id} mailed nobody"));
        Assert.Equal(mailedBeforeRerun + replies.Sum(r => mailsByEvent[r.Envelope.Id]), mails.Count);

        // Steps completed before the failure were kept: the contact form's HubSpot upsert and the delivery pushes did not run again.
        Assert.Equal(hubSpotCallsBeforeRerun, harness.Downstream.HubSpotServer.LogEntries.Count());
        Assert.Equal(pushesBeforeRerun, harness.Downstream.Pusher.Events.Count);

        // What is still broken: nothing. The base runs stay Failed in the history, superseded by their re-runs.
        await FailedRuns.VisibleAsync(harness.Client, $"{scope} AND ExecutionStatus = 'Completed'", events.Count);
        var stillFailed = await Cli("runs", "list", "--status", "Failed", "--query", scope);
        Assert.True(stillFailed.ExitCode == 0, stillFailed.ToString());
        Assert.Contains("0 run(s).", stillFailed.Out, StringComparison.Ordinal);
        var stillFailedJson = await Cli("runs", "list", "--status", "Failed", "--query", scope, "--output", "json");
        Assert.Empty(JsonNode.Parse(stillFailedJson.Out)!.AsArray());

        var history = JsonNode.Parse((await Cli("runs", "list", "--all-runs", "--query", scope, "-o", "json")).Out)!.AsArray();
        Assert.Equal(2 * events.Count, history.Count);
        var superseded = history.Where(r => !r!["current"]!.GetValue<bool>()).ToList();
        Assert.Equal(events.Count, superseded.Count);
        Assert.All(superseded, r => Assert.Equal(("Failed", "Completed"), (r!["status"]!.GetValue<string>(), r["supersededBy"]!["status"]!.GetValue<string>())));

        var shown = await Cli("runs", "show", deliveries[0].WorkflowId, "-o", "json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        var chain = JsonNode.Parse(shown.Out)!["rerunChain"]!.AsArray();
        Assert.Equal(2, chain.Count);
        Assert.Equal(("Failed", (string?)null, false), (chain[0]!["status"]!.GetValue<string>(), chain[0]!["rerunReason"]?.GetValue<string>(), chain[0]!["current"]!.GetValue<bool>()));
        Assert.Equal(("Completed", Reason, true), (chain[1]!["status"]!.GetValue<string>(), chain[1]!["rerunReason"]?.GetValue<string>(), chain[1]!["current"]!.GetValue<bool>()));
    }

    public void Dispose() => File.Delete(stateFile);

    private static ParsedEvent Event(string detailType, Action<JsonObject> change) => SampleEvents.Load(detailType, change);

    /// <summary>The event a mail was sent for: its Message-Id is a hash of event, template and recipient (EmailMessageFactory.MessageId).</summary>
    private static string EventOf(ReceivedMail mail, IEnumerable<ParsedEvent> events)
    {
        var id = mail.MessageId!.Trim('<', '>');
        var (template, domain) = (id[..id.IndexOf('.', StringComparison.Ordinal)], id[(id.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        return events.Single(e => EmailMessageFactory.MessageId(e.Envelope.Id, template, Assert.Single(mail.EnvelopeTo), domain) == id).Envelope.Id;
    }

    private static string Detail(ParsedEvent e, string name) => e.Envelope.Detail.GetProperty(name).GetString()!;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>
    /// For a DataDeliveryFailed ticket lookup (label delivery-{runId}): waits until every other step
    /// the run had scheduled (reads, push, mail) has closed, so the mail is recorded before the refusal.
    /// </summary>
    private static async Task OtherStepsClosedAsync(WorkflowHarness harness, IReadOnlyDictionary<string, string> deliveryRuns, IRequestMessage request)
    {
        var jql = StubJson.Query(request, "jql") ?? string.Empty;
        var workflowId = deliveryRuns.FirstOrDefault(d => jql.Contains($"\"{d.Key}\"", StringComparison.Ordinal)).Value;
        if (workflowId is null)
        {
            return;
        }

        await Eventually.Async(
            async () =>
            {
                var events = (await harness.Client.GetWorkflowHandle(workflowId).FetchHistoryAsync()).Events;
                var open = events.Where(e => e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityType.Name != "CreateIssueOnce")
                    .Select(e => e.EventId).ToHashSet();
                open.ExceptWith(events.Select(Closes).OfType<long>());
                return open.Count == 0;
            },
            TimeSpan.FromSeconds(30),
            $"the other steps of {workflowId} to close");
    }

    private static long? Closes(HistoryEvent e) => e.EventType switch
    {
        EventType.ActivityTaskCompleted => e.ActivityTaskCompletedEventAttributes.ScheduledEventId,
        EventType.ActivityTaskFailed => e.ActivityTaskFailedEventAttributes.ScheduledEventId,
        EventType.ActivityTaskTimedOut => e.ActivityTaskTimedOutEventAttributes.ScheduledEventId,
        EventType.ActivityTaskCanceled => e.ActivityTaskCanceledEventAttributes.ScheduledEventId,
        _ => null,
    };

    private Task<CliResult> Cli(params string[] args) =>
        CliRun.RunAsync([.. args, "--address", temporal.Address, "--namespace", temporal.Namespace]);
}
