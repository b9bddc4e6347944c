using System.Text.Json;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Accounts;
using EventProcessor.Workflows.Tests.Helpers;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Workflows.Tests.Accounts;

[Collection(TemporalCollection.Name)]
public sealed class PasswordResetRequestedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "PasswordResetRequestedEvent";
    private const string Email = "sam.okafor@acme-retail.com";
    private const string ResetUrl = "https://app.example-platform.com/reset-password?token=q8Zr1vT0xLm4";
    private const string Token = "q8Zr1vT0xLm4";

    [Fact]
    public async Task The_reset_link_is_mailed_and_recorded_only_where_it_must_be()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<PasswordResetResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, smtp: 1);
        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal([Email], mail.EnvelopeTo);
        Assert.Equal($"Reset the password of your account {Email}", mail.Subject);
        Assert.Contains(ResetUrl, mail.Text, StringComparison.Ordinal);
        Assert.Contains("before 2099-01-01 00:00 UTC", mail.Text, StringComparison.Ordinal);
        Assert.Equal(new PasswordResetResult("usr-4411", true, null), result);
        Assert.DoesNotContain(Token, JsonSerializer.Serialize(result), StringComparison.Ordinal);

        // The run's input and the email activity's input must carry the link; nothing else may
        // (summaries, results, failures, markers).
        var history = await harness.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync();
        var holding = history.Events.Where(e => HistoryText.Of(e).Contains(Token, StringComparison.Ordinal)).ToList();
        Assert.Equal([EventType.WorkflowExecutionStarted, EventType.ActivityTaskScheduled], holding.Select(e => e.EventType));
        Assert.Equal("SendTemplated", holding[1].ActivityTaskScheduledEventAttributes.ActivityType.Name);
    }

    [Fact]
    public async Task An_expired_link_is_not_mailed_and_the_result_says_why()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample, d => d["expiresAt"] = "2020-01-01T08:30:00Z");

        var result = await harness.RunAsync<PasswordResetResult>(parsed);

        Downstream.AssertRequestCounts(harness);
        Assert.False(result.Mailed);
        Assert.Contains("expired at 2020-01-01 08:30:00 UTC", result.Skipped, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Skipped, StringComparison.Ordinal);
        var history = await harness.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.ActivityTaskScheduled);
        Assert.Equal([EventType.WorkflowExecutionStarted], history.Events.Where(e => HistoryText.Of(e).Contains(Token, StringComparison.Ordinal)).Select(e => e.EventType));
    }

    [Fact]
    public async Task A_deferred_mail_is_retried_and_sent_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Smtp.FailNextTransactions(1);

        var result = await harness.RunAsync<PasswordResetResult>(SampleEvents.Load(Sample));

        Assert.Single(harness.Downstream.Smtp.MessagesTo(Email));
        Assert.True(result.Mailed);
    }

    [Fact]
    public async Task A_refused_address_fails_the_run_without_showing_the_link()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Smtp.RejectRecipient(Email);
        var parsed = SampleEvents.Load(Sample);

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Downstream.AssertBusinessFailure(failure, "MailRejected", Email, "password-reset", "user usr-4411");
        Assert.DoesNotContain(Token, cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.Smtp.Messages);
        var history = await harness.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowExecutionFailed && HistoryText.Of(e).Contains(Token, StringComparison.Ordinal));
    }
}
