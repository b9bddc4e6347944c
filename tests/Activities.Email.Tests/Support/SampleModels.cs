namespace EventProcessor.Activities.Email.Tests.Support;

/// <summary>Realistic models for each template, complete and with only the required fields, and what each subject must name.</summary>
public static class SampleModels
{
    public const string ResetUrl = "https://app.example.com/reset-password?token=s3cr3t-7f9a2c41d0";

    public static IReadOnlyDictionary<string, Dictionary<string, string?>> Full { get; } = new Dictionary<string, Dictionary<string, string?>>
    {
        [EmailTemplates.TicketCommented] = new()
        {
            ["ticketKey"] = "SUP-1234",
            ["ticketSummary"] = "Crawler stops at page 3",
            ["commentAuthor"] = "Ada Lovelace",
            ["commentBody"] = "I re-ran the report.\nIt works now.",
            ["ticketUrl"] = "https://example.atlassian.net/browse/SUP-1234",
            ["internalNote"] = "false",
        },
        [EmailTemplates.ProjectAccessGranted] = new()
        {
            ["projectName"] = "Price Watch EU",
            ["projectUrl"] = "https://app.example.com/projects/6f1c2d3e",
            ["grantedBy"] = "Grace Hopper",
        },
        [EmailTemplates.ReportRunFailed] = new()
        {
            ["reportId"] = "rep_8812",
            ["runId"] = "run_20261120_0915",
            ["reportName"] = "Daily prices",
            ["projectName"] = "Price Watch EU",
            ["reason"] = "Target site answered 403 for 92% of pages",
            ["reportUrl"] = "https://app.example.com/reports/rep_8812",
        },
        [EmailTemplates.TeamInvitation] = new()
        {
            ["teamName"] = "Growth Analytics",
            ["acceptUrl"] = "https://app.example.com/invites/inv_77/accept",
            ["inviterName"] = "Grace Hopper",
        },
        [EmailTemplates.ProjectTransferred] = new()
        {
            ["projectName"] = "Price Watch EU",
            ["fromAccountName"] = "Acme GmbH",
            ["toAccountName"] = "Acme Group",
            ["projectUrl"] = "https://app.example.com/projects/6f1c2d3e",
        },
        [EmailTemplates.PasswordReset] = new()
        {
            ["resetUrl"] = ResetUrl,
            ["expiresAt"] = "2026-11-20 11:15 UTC",
        },
        [EmailTemplates.WeMissYou] = new()
        {
            ["lastActiveAt"] = "2026-08-02",
            ["appUrl"] = "https://app.example.com/",
        },
        [EmailTemplates.CrawlerIncident] = new()
        {
            ["incidentId"] = "inc-5521",
            ["severity"] = "critical",
            ["summary"] = "All EU crawlers failing DNS resolution",
            ["projectUuid"] = "6f1c2d3e-0000-4000-8000-000000000001",
            ["projectName"] = "Price Watch EU",
            ["reportId"] = "rep_8812",
            ["details"] = "resolver 10.0.0.2 timed out\n214 runs affected",
            ["ticketKey"] = "INC-88",
            ["ticketUrl"] = "https://example.atlassian.net/browse/INC-88",
        },
        [EmailTemplates.DataDeliveryFailed] = new()
        {
            ["reportId"] = "rep_8812",
            ["runId"] = "run_20261120_0915",
            ["destination"] = "s3://acme-exports/prices/",
            ["reportName"] = "Daily prices",
            ["projectName"] = "Price Watch EU",
            ["error"] = "AccessDenied: bucket policy refuses PutObject",
            ["ticketKey"] = "SUP-2001",
            ["ticketUrl"] = "https://example.atlassian.net/browse/SUP-2001",
        },
    };

    /// <summary>What the subject must contain (the thing the mail is about), for the full model and recipient <c>ada@example.org</c>.</summary>
    public static IReadOnlyDictionary<string, string[]> SubjectMentions { get; } = new Dictionary<string, string[]>
    {
        [EmailTemplates.TicketCommented] = ["SUP-1234", "Ada Lovelace"],
        [EmailTemplates.ProjectAccessGranted] = ["Price Watch EU"],
        [EmailTemplates.ReportRunFailed] = ["Daily prices", "run_20261120_0915"],
        [EmailTemplates.TeamInvitation] = ["Growth Analytics", "Grace Hopper"],
        [EmailTemplates.ProjectTransferred] = ["Price Watch EU", "Acme Group"],
        [EmailTemplates.PasswordReset] = ["ada@example.org"],
        [EmailTemplates.WeMissYou] = ["Ada"],
        [EmailTemplates.CrawlerIncident] = ["CRITICAL", "inc-5521", "INC-88", "All EU crawlers failing DNS resolution"],
        [EmailTemplates.DataDeliveryFailed] = ["s3://acme-exports/prices/", "Daily prices", "run_20261120_0915"],
    };

    public static Dictionary<string, string?> Required(string template) =>
        EmailTemplates.All[template].Fields
            .Where(f => f.Required && Full[template].ContainsKey(f.Name))
            .ToDictionary(f => f.Name, f => Full[template][f.Name]);

    public static EmailBatch Batch(string template, string eventId, params EmailRecipient[] recipients) =>
        new(template, eventId, recipients, Full[template]);
}
