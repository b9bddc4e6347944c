using EventProcessor.Activities.Email.Tests.Support;
using Temporalio.Converters;

namespace EventProcessor.Activities.Email.Tests;

/// <summary>
/// The activity's input as Temporal carries it. The workflows build its model from one record per
/// template (src/Workflows/Notifications; tests/Workflows.Tests/MailModelTests checks them against
/// <see cref="EmailTemplates"/>); here only its shape and printing matter.
/// </summary>
public sealed class EmailBatchTests
{
    [Fact]
    public void A_batch_survives_temporals_payload_conversion()
    {
        var batch = new EmailBatch(EmailTemplates.TicketCommented, "evt-1", [new("ada@example.org", "Ada"), new("bob@example.org")],
            SampleModels.Full[EmailTemplates.TicketCommented]);
        var converter = DataConverter.Default.PayloadConverter;

        var copy = (EmailBatch)converter.ToValue(converter.ToPayload(batch), typeof(EmailBatch))!;

        Assert.Equal(batch.TemplateName, copy.TemplateName);
        Assert.Equal(batch.EventId, copy.EventId);
        Assert.Equal(batch.Recipients, copy.Recipients);
        Assert.Equal(batch.Model.OrderBy(p => p.Key), copy.Model.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_batch_recorded_by_an_earlier_version_is_read_with_its_model()
    {
        // The activity input as the saved histories store it (InactiveUserDetectedEventWorkflow.json): the model is a JSON object of strings by field name.
        var json = """{"TemplateName":"we-miss-you","EventId":"evt-9","Recipients":[{"Email":"ada@example.org","Name":"Ada"}],"Model":{"lastActiveAt":"2026-11-20","appUrl":null}}""";
        var payload = new Temporalio.Api.Common.V1.Payload
        {
            Metadata = { ["encoding"] = Google.Protobuf.ByteString.CopyFromUtf8("json/plain") },
            Data = Google.Protobuf.ByteString.CopyFromUtf8(json),
        };

        var batch = (EmailBatch)DataConverter.Default.PayloadConverter.ToValue(payload, typeof(EmailBatch))!;

        Assert.Equal("we-miss-you", batch.TemplateName);
        Assert.Equal("2026-11-20", batch.Model["lastActiveAt"]);
        new EmailTemplateRenderer().Validate(batch.TemplateName, batch.Model);
    }

    [Fact]
    public void A_batch_printed_in_a_log_shows_field_names_but_no_values()
    {
        var batch = SampleModels.Batch(EmailTemplates.PasswordReset, "evt-1", new EmailRecipient("ada@example.org"));

        Assert.Equal("EmailBatch password-reset for event evt-1 to 1 recipient(s), model fields [resetUrl, expiresAt]", batch.ToString());
    }
}
