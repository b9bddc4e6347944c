using EventProcessor.Activities.Email.Tests.Support;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.Email.Tests;

public sealed class EmailTemplateRendererTests
{
    private const string Hostile = "<script>alert(1)</script> & <b>bold</b>";

    private static readonly EmailTemplateRenderer Renderer = new();
    private static readonly EmailRecipient Ada = new("ada@example.org", "Ada");

    public static TheoryData<string> Templates => [.. EmailTemplates.All.Keys];

    public static TheoryData<string, string> RequiredFields
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var template in EmailTemplates.All.Values)
            {
                foreach (var required in template.Fields.Where(f => f.Required && !EmailTemplates.RecipientFields.Contains(f)))
                {
                    data.Add(template.Name, required.Name);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Every_template_that_events_md_names_is_defined()
    {
        string[] expected =
        [
            "ticket-commented", "project-access-granted", "report-run-failed", "team-invitation", "project-transferred",
            "password-reset", "we-miss-you", "crawler-incident", "data-delivery-failed",
        ];
        Assert.Equal(expected.Order(), EmailTemplates.All.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Subject_names_what_the_mail_is_about_and_both_parts_carry_every_value(string template)
    {
        var mail = Renderer.Render(template, SampleModels.Full[template], Ada);

        foreach (var mention in SampleModels.SubjectMentions[template])
        {
            Assert.Contains(mention, mail.Subject, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', mail.Subject);
        Assert.StartsWith("<!DOCTYPE html>", mail.Html, StringComparison.Ordinal);
        Assert.Contains($"<title>{mail.Subject}</title>", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<p>", mail.Text, StringComparison.Ordinal);
        Assert.EndsWith("This is an automated message.\n", mail.Text, StringComparison.Ordinal);
        foreach (var (name, value) in SampleModels.Full[template].Where(f => EmailTemplates.All[template].Fields.Single(d => d.Name == f.Key).Kind != EmailFieldKind.Flag))
        {
            Assert.True(mail.Text.Contains(value!, StringComparison.OrdinalIgnoreCase), $"text part of {template} lacks {name}");
            foreach (var line in value!.Split('\n'))
            {
                Assert.True(mail.Html.Contains(line, StringComparison.OrdinalIgnoreCase), $"HTML part of {template} lacks {name}");
            }
        }

        Assert.DoesNotContain("{{", mail.Html + mail.Text + mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("{%", mail.Html + mail.Text + mail.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Renders_with_only_the_required_fields_and_no_recipient_name(string template)
    {
        var mail = Renderer.Render(template, SampleModels.Required(template), new EmailRecipient("ada@example.org"));

        Assert.NotEmpty(mail.Subject);
        Assert.DoesNotContain("  ", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"\"", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", mail.Html + mail.Text, StringComparison.Ordinal);
        if (template != EmailTemplates.CrawlerIncident)
        {
            Assert.Contains("Hi there,", mail.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Html_part_escapes_every_value_and_text_part_keeps_it_verbatim(string template)
    {
        var model = SampleModels.Full[template].ToDictionary(
            f => f.Key,
            f => EmailTemplates.All[template].Fields.Single(d => d.Name == f.Key).Kind == EmailFieldKind.Text ? Hostile : f.Value);
        var mail = Renderer.Render(template, model, new EmailRecipient("ada@example.org", "Ada <img src=x onerror=alert(1)>"));

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains(Hostile, mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comment_body_keeps_its_line_breaks_in_the_html_part()
    {
        var mail = Renderer.Render(EmailTemplates.TicketCommented, SampleModels.Full[EmailTemplates.TicketCommented], Ada);

        Assert.Matches(@"I re-ran the report\.<br\s*/?>\s*It works now\.", mail.Html);
        Assert.Contains("I re-ran the report.\nIt works now.", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Hi Ada,", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.atlassian.net/browse/SUP-1234\">Open SUP-1234</a>", mail.Html, StringComparison.Ordinal);
        Assert.StartsWith("[SUP-1234] New comment from Ada Lovelace", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Internal_note_is_announced_as_such()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.TicketCommented]) { ["internalNote"] = "true" };

        var mail = Renderer.Render(EmailTemplates.TicketCommented, model, Ada);

        Assert.StartsWith("[SUP-1234] Internal note from Ada Lovelace", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("added an internal note", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Subject_is_one_line_even_when_a_value_spans_lines()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.TicketCommented]) { ["ticketSummary"] = "Crawler\r\nstops" };

        var mail = Renderer.Render(EmailTemplates.TicketCommented, model, Ada);

        Assert.Equal("[SUP-1234] New comment from Ada Lovelace: Crawler stops", mail.Subject);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void A_model_lacking_a_required_field_fails_for_good_naming_template_and_field(string template, string field)
    {
        var model = SampleModels.Required(template);
        model.Remove(field);

        var failure = Assert.Throws<ApplicationFailureException>(() => Renderer.Validate(template, model));

        Assert.True(failure.NonRetryable);
        Assert.Equal(EmailFailure.ModelInvalid, failure.ErrorType);
        Assert.Contains($"'{template}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", failure.Message, StringComparison.Ordinal);
        Assert.Throws<ApplicationFailureException>(() => Renderer.Render(template, model, Ada));
    }

    [Fact]
    public void A_blank_required_field_counts_as_missing()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.TeamInvitation]) { ["teamName"] = "  " };

        var failure = Assert.Throws<ApplicationFailureException>(() => Renderer.Validate(EmailTemplates.TeamInvitation, model));

        Assert.Contains("'teamName'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_template_fails_for_good_and_lists_the_known_ones()
    {
        var failure = Assert.Throws<ApplicationFailureException>(() => Renderer.Validate("ticket-comented", new Dictionary<string, string?>()));

        Assert.True(failure.NonRetryable);
        Assert.Equal(EmailFailure.TemplateUnknown, failure.ErrorType);
        Assert.Contains("'ticket-comented'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ticket-commented", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("/reset-password?token=s3cr3t")]
    [InlineData("ftp://example.com/s3cr3t")]
    public void A_link_must_be_absolute_http_and_a_bad_one_is_not_quoted(string url)
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.PasswordReset]) { ["resetUrl"] = url };

        var failure = Assert.Throws<ApplicationFailureException>(() => Renderer.Validate(EmailTemplates.PasswordReset, model));

        Assert.True(failure.NonRetryable);
        Assert.Contains("'resetUrl'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(url, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_link_that_is_not_secret_is_quoted_to_help_fix_it()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.TicketCommented]) { ["ticketUrl"] = "browse/SUP-1234" };

        var failure = Assert.Throws<ApplicationFailureException>(() => Renderer.Validate(EmailTemplates.TicketCommented, model));

        Assert.Contains("'ticketUrl' must be an absolute http(s) URL (not 'browse/SUP-1234')", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flag_must_be_true_or_false()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.TicketCommented]) { ["internalNote"] = "yes" };

        var failure = Assert.Throws<ApplicationFailureException>(() => Renderer.Validate(EmailTemplates.TicketCommented, model));

        Assert.Contains("'internalNote'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_reset_mail_carries_the_link_in_both_parts()
    {
        var mail = Renderer.Render(EmailTemplates.PasswordReset, SampleModels.Full[EmailTemplates.PasswordReset], Ada);

        Assert.Equal("Reset the password of your account ada@example.org", mail.Subject);
        Assert.Contains($"<a href=\"{SampleModels.ResetUrl}\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains(SampleModels.ResetUrl, mail.Text, StringComparison.Ordinal);
        Assert.Contains("2026-11-20 11:15 UTC", mail.Text, StringComparison.Ordinal);
    }
}
