using System.Text.Json.Nodes;
using EventProcessor.Cli.Tests.Stubs;
using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Validation;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Cli.Tests.Runs;

/// <summary>
/// What a re-run would do again is decided from the run's history before anything changes: the
/// default never repeats a completed side effect, and --from first lists them and asks.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class RerunSideEffectsTests(TemporalServerFixture temporal) : IDisposable
{
    private readonly string stateFile = Path.Combine(Path.GetTempPath(), $"cli-effects-{Guid.NewGuid():N}.jsonl");

    /// <summary>
    /// DataDeliveryFailed's ticket and mail run in parallel. Here Jira refuses first and the mail
    /// (deferred by the mail server meanwhile) completes after: no reset point keeps the mail, so the
    /// default leaves the run alone and says why; --from first lists the mail, asks, and with a yes re-runs.
    /// </summary>
    [Fact]
    public async Task A_mail_that_completed_after_the_failure_is_not_repeated_without_an_explicit_from_first_and_a_yes()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        SampleWorld.Arrange(harness.Downstream);
        harness.Downstream.Smtp.FailNextTransactions(1000);
        var outage = JiraOutage.Begin(harness.Downstream.JiraServer);
        var delivery = SampleEvents.Load("DataDeliveryFailedEvent", d => d["runId"] = $"run-{Guid.NewGuid():N}");
        var handle = await harness.StartAsync(delivery);
        await Eventually.Async(
            async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.ActivityTaskFailed),
            TimeSpan.FromSeconds(30),
            "Jira's refusal to be recorded");
        harness.Downstream.Smtp.ClearFaults();
        await Assert.ThrowsAsync<Temporalio.Exceptions.WorkflowFailedException>(() => handle.GetResultAsync());
        outage.End();
        var mailed = harness.Downstream.Smtp.Messages.Count;
        Assert.True(mailed > 0, "the mail went out before the run failed");

        var held = await Cli(["runs", "rerun", delivery.WorkflowId, "--reason", "Jira back"]);

        Assert.True(held.ExitCode == ExitCodes.SomeFailed, held.ToString());
        Assert.Matches(@"failed \(not re-run: reset to event \d+, just before CreateIssueOnce failed: the steps that completed after it cannot be kept and run again: .*mail \(SendTemplated\)", held.Out);
        Assert.Contains("to accept that, re-run it with --from first", held.Out, StringComparison.Ordinal);

        var unconfirmed = await Cli(["runs", "rerun", delivery.WorkflowId, "--from", "first", "--reason", "Jira back"]);

        Assert.True(unconfirmed.ExitCode == ExitCodes.Usage, unconfirmed.ToString());
        Assert.Contains($"{delivery.WorkflowId} (", unconfirmed.Out, StringComparison.Ordinal);
        Assert.Contains("mail (SendTemplated)", unconfirmed.Out, StringComparison.Ordinal);
        Assert.Contains("add --yes to confirm them (nothing was re-run)", unconfirmed.Error, StringComparison.Ordinal);

        var declined = await Cli(["runs", "rerun", delivery.WorkflowId, "--from", "first", "--reason", "Jira back"], input: "n\n");

        Assert.True(declined.ExitCode == ExitCodes.SomeFailed, declined.ToString());
        Assert.Contains("Re-run them anyway? [y/N]", declined.Out, StringComparison.Ordinal);
        Assert.Contains("Not confirmed: nothing was re-run (1 run(s) were ready).", declined.Out, StringComparison.Ordinal);
        Assert.Equal(1, await FailedRuns.RunCountAsync(harness.Client, delivery.WorkflowId));
        Assert.Equal(mailed, harness.Downstream.Smtp.Messages.Count);

        var confirmed = await Cli(["runs", "rerun", delivery.WorkflowId, "--from", "first", "--reason", "Jira back", "--output", "json"], input: "y\n");

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        var summary = JsonNode.Parse(confirmed.Out)!;
        Assert.Equal(1, summary["rerun"]!.GetValue<int>());
        var outcome = summary["outcomes"]![0]!;
        Assert.Equal(("rerun", "first"), (outcome["outcome"]!.GetValue<string>(), outcome["resetPoint"]!.GetValue<string>()));
        Assert.Contains(outcome["repeatedSteps"]!.AsArray(), s => s!["activityType"]!.GetValue<string>() == "SendTemplated" && s["sideEffect"]!.GetValue<string>() == "mail");
        Assert.Contains("mail (SendTemplated)", confirmed.Error, StringComparison.Ordinal);
        await FailedRuns.AllCompletedAsync(temporal, [delivery]);
        Assert.Equal(2 * mailed, harness.Downstream.Smtp.Messages.Count);
    }

    /// <summary>
    /// ContactFormSubmitted upserts the HubSpot contact, then fails at Jira: the default keeps the
    /// upsert; --dry-run --from first shows that it would run again.
    /// </summary>
    [Fact]
    public async Task The_default_keeps_the_step_before_the_failure_and_a_dry_run_from_first_names_it_as_repeated()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        SampleWorld.Arrange(harness.Downstream);
        var outage = JiraOutage.Begin(harness.Downstream.JiraServer);
        var form = SampleEvents.Load("ContactFormSubmittedEvent", d => d["submissionId"] = $"cf-{Guid.NewGuid():N}");
        await harness.RunToFailureAsync(form);
        outage.End();
        var hubSpotCalls = harness.Downstream.HubSpotServer.LogEntries.Count();

        var dryRun = await Cli(["runs", "rerun", form.WorkflowId, "--from", "first", "--reason", "check", "--dry-run", "-o", "jsonl"]);

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        var planned = JsonNode.Parse(Assert.Single(dryRun.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal("would-rerun", planned["outcome"]!.GetValue<string>());
        Assert.Contains(planned["repeatedSteps"]!.AsArray(), s => s!["activityType"]!.GetValue<string>() == "UpsertContact" && s["sideEffect"]!.GetValue<string>() == "HubSpot contact");

        var result = await Cli(["runs", "rerun", form.WorkflowId, "--reason", "Jira back", "-o", "jsonl"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var done = JsonNode.Parse(Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(("rerun", "failure", "CreateIssueOnce"), (done["outcome"]!.GetValue<string>(), done["resetPoint"]!.GetValue<string>(), done["failedActivity"]!.GetValue<string>()));
        Assert.Contains(done["keptSteps"]!.AsArray(), s => s!["activityType"]!.GetValue<string>() == "UpsertContact");
        Assert.Empty(done["repeatedSteps"]!.AsArray());
        Assert.False(string.IsNullOrEmpty(done["newRunId"]?.GetValue<string>()));
        await FailedRuns.AllCompletedAsync(temporal, [form]);
        Assert.Equal(hubSpotCalls, harness.Downstream.HubSpotServer.LogEntries.Count());
        Assert.Single(harness.Downstream.Jira.CreatedIssues());
    }

    public void Dispose() => File.Delete(stateFile);

    private Task<CliResult> Cli(string[] args, string? input = null) =>
        CliRun.RunAsync([.. args, "--state-file", stateFile, "--address", temporal.Address, "--namespace", temporal.Namespace], input: input);
}
