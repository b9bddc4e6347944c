using System.Reflection;
using EventProcessor.Activities.Email;
using EventProcessor.Workflows.Notifications;

namespace EventProcessor.Workflows.Tests;

/// <summary>
/// One mail record per template (src/Workflows/Notifications), each with exactly the fields its
/// template declares in <see cref="EmailTemplates.All"/>, converted to the activity's model in one way.
/// </summary>
public sealed class MailModelTests
{
    private static readonly Uri Link = new("https://app.example.com/x?a=1&b=2");
    private static readonly DateTimeOffset Time = new(2026, 11, 20, 11, 15, 0, TimeSpan.FromHours(1));

    /// <summary>Every record with every field set, by template.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Complete = new Dictionary<string, IReadOnlyDictionary<string, string?>>
    {
        [TicketCommentedMail.Template] = MailModel.Fields(new TicketCommentedMail("SUP-1", "Ada", "Body", InternalNote: true, "Summary", Link)),
        [ProjectAccessGrantedMail.Template] = MailModel.Fields(new ProjectAccessGrantedMail("P", Link, "Grace")),
        [ReportRunFailedMail.Template] = MailModel.Fields(new ReportRunFailedMail("rep_1", "run_1", "Daily", "P", "403s", Link)),
        [TeamInvitationMail.Template] = MailModel.Fields(new TeamInvitationMail("Team", Link, "Grace")),
        [ProjectTransferredMail.Template] = MailModel.Fields(new ProjectTransferredMail("P", "From", "To", Link)),
        [PasswordResetMail.Template] = MailModel.Fields(new PasswordResetMail(Link, Time)),
        [WeMissYouMail.Template] = MailModel.Fields(new WeMissYouMail(new DateOnly(2026, 11, 20), Link)),
        [CrawlerIncidentMail.Template] = MailModel.Fields(new CrawlerIncidentMail("inc-1", "high", "Down", "uuid", "P", "rep_1", "details", "INC-1", Link)),
        [DataDeliveryFailedMail.Template] = MailModel.Fields(new DataDeliveryFailedMail("rep_1", "run_1", "s3://b/", "Daily", "P", "denied", "SUP-2", Link)),
    };

    private static IEnumerable<Type> MailRecords() =>
        typeof(IMailModel).Assembly.GetTypes().Where(t => t.IsClass && typeof(IMailModel).IsAssignableFrom(t));

    private static string TemplateOf(Type record) =>
        (string)record.GetProperty(nameof(IMailModel.Template), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    [Fact]
    public void Every_template_has_exactly_one_mail_record_and_every_record_a_template()
    {
        var byTemplate = MailRecords().GroupBy(TemplateOf).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        Assert.Equal(EmailTemplates.All.Keys.Order(StringComparer.Ordinal), byTemplate.Keys.Order(StringComparer.Ordinal));
        Assert.All(byTemplate, t => Assert.True(t.Value.Count == 1, $"{t.Key} has {t.Value.Count} records: {string.Join(", ", t.Value.Select(r => r.Name))}"));
        Assert.Equal(EmailTemplates.All.Keys.Order(StringComparer.Ordinal), Complete.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_record_has_the_fields_its_template_declares_required_as_declared_and_of_their_kind()
    {
        var nullability = new NullabilityInfoContext();
        foreach (var record in MailRecords())
        {
            var template = EmailTemplates.All[TemplateOf(record)];
            var declared = template.Fields.Where(f => !EmailTemplates.RecipientFields.Contains(f)).ToDictionary(f => f.Name, StringComparer.Ordinal);
            var properties = record.GetProperties(BindingFlags.Public | BindingFlags.Instance);

            Assert.Equal(declared.Keys.Order(StringComparer.Ordinal), properties.Select(MailModel.FieldName).Order(StringComparer.Ordinal));
            foreach (var property in properties)
            {
                var field = declared[MailModel.FieldName(property)];
                var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var where = $"{record.Name}.{property.Name} ({template.Name} field {field.Name})";
                Assert.True(field.Kind == EmailFieldKind.Flag || field.Required != nullable, $"{where}: required is {field.Required}, nullable is {nullable}.");
                Assert.True((field.Kind == EmailFieldKind.Url) == (type == typeof(Uri)), $"{where}: a {field.Kind} field is a {type.Name}.");
                Assert.True((field.Kind == EmailFieldKind.Flag) == (type == typeof(bool)), $"{where}: a {field.Kind} field is a {type.Name}.");
            }
        }
    }

    [Fact]
    public void Each_complete_record_fills_every_field_and_passes_the_templates_checks()
    {
        var renderer = new EmailTemplateRenderer();
        foreach (var (template, model) in Complete)
        {
            Assert.All(model, f => Assert.False(string.IsNullOrWhiteSpace(f.Value), $"{template} field {f.Key} is empty."));
            renderer.Validate(template, model);
            Assert.NotEmpty(renderer.Render(template, model, new EmailRecipient("ada@example.org", "Ada")).Subject);
        }
    }

    [Fact]
    public void Fields_are_converted_the_way_the_templates_show_them()
    {
        Assert.Equal("2026-11-20 10:15 UTC", Complete[PasswordResetMail.Template]["expiresAt"]);
        Assert.Equal(Link.AbsoluteUri, Complete[PasswordResetMail.Template]["resetUrl"]);
        Assert.Equal("2026-11-20", Complete[WeMissYouMail.Template]["lastActiveAt"]);
        Assert.Equal("true", Complete[TicketCommentedMail.Template]["internalNote"]);
        Assert.Equal("false", MailModel.Fields(new TicketCommentedMail("SUP-1", "Ada", "Body", InternalNote: false))["internalNote"]);
        Assert.Null(MailModel.Fields(new WeMissYouMail())["lastActiveAt"]);
    }

    [Fact]
    public void A_record_printed_never_shows_the_reset_link()
    {
        Assert.DoesNotContain("x?a=1", new PasswordResetMail(Link, Time).ToString(), StringComparison.Ordinal);
    }
}
