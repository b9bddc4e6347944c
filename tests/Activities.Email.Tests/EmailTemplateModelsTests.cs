using EventProcessor.Activities.Email.Tests.Support;
using Temporalio.Converters;

namespace EventProcessor.Activities.Email.Tests;

public sealed class EmailTemplateModelsTests
{
    private static readonly Uri Link = new("https://app.example.com/x?a=1&b=2");
    private static readonly DateTimeOffset Time = new(2026, 11, 20, 11, 15, 0, TimeSpan.FromHours(1));

    /// <summary>Every builder called with every argument: it must fill exactly the fields its template declares.</summary>
    public static TheoryData<string, IReadOnlyDictionary<string, string?>> Complete => new()
    {
        { EmailTemplates.TicketCommented, EmailTemplateModels.TicketCommented("SUP-1", "Ada", "Body", "Summary", Link, internalNote: true) },
        { EmailTemplates.ProjectAccessGranted, EmailTemplateModels.ProjectAccessGranted("P", Link, "Grace") },
        { EmailTemplates.ReportRunFailed, EmailTemplateModels.ReportRunFailed("rep_1", "run_1", "Daily", "P", "403s", Link) },
        { EmailTemplates.TeamInvitation, EmailTemplateModels.TeamInvitation("Team", Link, "Grace") },
        { EmailTemplates.ProjectTransferred, EmailTemplateModels.ProjectTransferred("P", "From", "To", Link) },
        { EmailTemplates.PasswordReset, EmailTemplateModels.PasswordReset(Link, Time) },
        { EmailTemplates.WeMissYou, EmailTemplateModels.WeMissYou(Time, Link) },
        { EmailTemplates.CrawlerIncident, EmailTemplateModels.CrawlerIncident("inc-1", "high", "Down", "uuid", "P", "rep_1", "details", "INC-1", Link) },
        { EmailTemplates.DataDeliveryFailed, EmailTemplateModels.DataDeliveryFailed("rep_1", "run_1", "s3://b/", "Daily", "P", "denied", "SUP-2", Link) },
    };

    [Theory]
    [MemberData(nameof(Complete))]
    public void Each_builder_fills_exactly_the_fields_its_template_declares(string template, IReadOnlyDictionary<string, string?> model)
    {
        var declared = EmailTemplates.All[template].Fields.Select(f => f.Name).Except(EmailTemplates.RecipientFields.Select(f => f.Name));

        Assert.Equal(declared.Order(StringComparer.Ordinal), model.Keys.Order(StringComparer.Ordinal));
        Assert.All(model.Values, Assert.NotNull);
        new EmailTemplateRenderer().Validate(template, model);
    }

    [Fact]
    public void Times_are_shown_in_utc()
    {
        Assert.Equal("2026-11-20 10:15 UTC", EmailTemplateModels.PasswordReset(Link, Time)["expiresAt"]);
        Assert.Equal("2026-11-20", EmailTemplateModels.WeMissYou(Time)["lastActiveAt"]);
    }

    [Fact]
    public void A_batch_survives_temporals_payload_conversion()
    {
        var batch = new EmailBatch(EmailTemplates.TicketCommented, "evt-1", [new("ada@example.org", "Ada"), new("bob@example.org")],
            EmailTemplateModels.TicketCommented("SUP-1", "Ada", "Body", ticketUrl: Link));
        var converter = DataConverter.Default.PayloadConverter;

        var copy = (EmailBatch)converter.ToValue(converter.ToPayload(batch), typeof(EmailBatch))!;

        Assert.Equal(batch.TemplateName, copy.TemplateName);
        Assert.Equal(batch.EventId, copy.EventId);
        Assert.Equal(batch.Recipients, copy.Recipients);
        Assert.Equal(batch.Model.OrderBy(p => p.Key), copy.Model.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_batch_printed_in_a_log_shows_field_names_but_no_values()
    {
        var batch = SampleModels.Batch(EmailTemplates.PasswordReset, "evt-1", new EmailRecipient("ada@example.org"));

        Assert.Equal("EmailBatch password-reset for event evt-1 to 1 recipient(s), model fields [resetUrl, expiresAt]", batch.ToString());
    }
}
