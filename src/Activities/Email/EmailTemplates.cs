namespace EventProcessor.Activities.Email;

/// <summary>What a model field holds, so it can be checked before anything is sent.</summary>
public enum EmailFieldKind
{
    Text,

    /// <summary>An absolute http(s) link; anything else (e.g. <c>javascript:</c>) is refused.</summary>
    Url,

    /// <summary><c>true</c> or <c>false</c>; the template sees a boolean.</summary>
    Flag,
}

/// <summary>A model field a template uses. A secret's value is never logged, returned or put in a message.</summary>
public sealed record EmailField(string Name, EmailFieldKind Kind = EmailFieldKind.Text, bool Required = true, bool Secret = false)
{
    public static EmailField Text(string name, bool required = true) => new(name, EmailFieldKind.Text, required);

    public static EmailField Url(string name, bool required = true, bool secret = false) => new(name, EmailFieldKind.Url, required, secret);

    public static EmailField Flag(string name) => new(name, EmailFieldKind.Flag, Required: false);
}

/// <summary>A template and the model fields it may use; anything it uses beyond these is a template bug.</summary>
public sealed record EmailTemplateDefinition(string Name, IReadOnlyList<EmailField> Fields);

/// <summary>
/// The templates the workflows send (docs/events.md names them per event type), and the model fields each one needs. Each has three embedded
/// resources under <c>Email/Templates</c>: <c>{name}.subject.liquid</c>, <c>{name}.html.liquid</c> and
/// <c>{name}.text.liquid</c>. Every template can also use <c>recipientEmail</c> and <c>recipientName</c>
/// (nil when unknown), filled in per recipient.
/// </summary>
public static class EmailTemplates
{
    /// <summary>TicketCommented and ContactMessageReplied notifications.</summary>
    public const string TicketCommented = "ticket-commented";
    public const string ProjectAccessGranted = "project-access-granted";
    public const string ReportRunFailed = "report-run-failed";
    public const string TeamInvitation = "team-invitation";
    public const string ProjectTransferred = "project-transferred";
    public const string PasswordReset = "password-reset";
    public const string WeMissYou = "we-miss-you";

    /// <summary>On-call mail for a high or critical CrawlerIncident.</summary>
    public const string CrawlerIncident = "crawler-incident";
    public const string DataDeliveryFailed = "data-delivery-failed";

    /// <summary>Fields every template receives for the recipient it is rendered for.</summary>
    public static IReadOnlyList<EmailField> RecipientFields { get; } =
    [
        EmailField.Text("recipientEmail"),
        EmailField.Text("recipientName", required: false),
    ];

    public static IReadOnlyDictionary<string, EmailTemplateDefinition> All { get; } = new[]
    {
        Define(TicketCommented,
            EmailField.Text("ticketKey"),
            EmailField.Text("commentAuthor"),
            EmailField.Text("commentBody"),
            EmailField.Text("ticketSummary", required: false),
            EmailField.Url("ticketUrl", required: false),
            EmailField.Flag("internalNote")),
        Define(ProjectAccessGranted,
            EmailField.Text("projectName"),
            EmailField.Url("projectUrl", required: false),
            EmailField.Text("grantedBy", required: false)),
        Define(ReportRunFailed,
            EmailField.Text("reportId"),
            EmailField.Text("runId"),
            EmailField.Text("reportName", required: false),
            EmailField.Text("projectName", required: false),
            EmailField.Text("reason", required: false),
            EmailField.Url("reportUrl", required: false)),
        Define(TeamInvitation,
            EmailField.Text("teamName"),
            EmailField.Url("acceptUrl"),
            EmailField.Text("inviterName", required: false)),
        Define(ProjectTransferred,
            EmailField.Text("projectName"),
            EmailField.Text("fromAccountName", required: false),
            EmailField.Text("toAccountName", required: false),
            EmailField.Url("projectUrl", required: false)),
        Define(PasswordReset,
            EmailField.Url("resetUrl", secret: true),
            EmailField.Text("expiresAt")),
        Define(WeMissYou,
            EmailField.Text("lastActiveAt", required: false),
            EmailField.Url("appUrl", required: false)),
        Define(CrawlerIncident,
            EmailField.Text("incidentId"),
            EmailField.Text("severity"),
            EmailField.Text("summary"),
            EmailField.Text("projectUuid", required: false),
            EmailField.Text("projectName", required: false),
            EmailField.Text("reportId", required: false),
            EmailField.Text("details", required: false),
            EmailField.Text("ticketKey", required: false),
            EmailField.Url("ticketUrl", required: false)),
        Define(DataDeliveryFailed,
            EmailField.Text("reportId"),
            EmailField.Text("runId"),
            EmailField.Text("destination"),
            EmailField.Text("reportName", required: false),
            EmailField.Text("projectName", required: false),
            EmailField.Text("error", required: false),
            EmailField.Text("ticketKey", required: false),
            EmailField.Url("ticketUrl", required: false)),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static EmailTemplateDefinition Define(string name, params EmailField[] fields) => new(name, [.. RecipientFields, .. fields]);
}
