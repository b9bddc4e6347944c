using EventProcessor.Activities.Email;

namespace EventProcessor.Workflows.Notifications;

// The mails the workflows send through Mailer and PersonalMail, one record per template. The
// template files stay with the email activity (src/Activities/Email/Templates); a record's
// properties are the fields its template declares in EmailTemplates.All.

/// <summary>Sent by UserProjectAdded to the user who was added.</summary>
public sealed record ProjectAccessGrantedMail(string ProjectName, Uri? ProjectUrl = null, string? GrantedBy = null) : IMailModel
{
    public static string Template => EmailTemplates.ProjectAccessGranted;
}

/// <summary>Sent by ReportRunFailed to the project's users subscribed to run failures.</summary>
public sealed record ReportRunFailedMail(
    string ReportId, string RunId, string? ReportName = null, string? ProjectName = null, string? Reason = null, Uri? ReportUrl = null) : IMailModel
{
    public static string Template => EmailTemplates.ReportRunFailed;
}

/// <summary>Sent by UserTeamInvited to the invitee.</summary>
public sealed record TeamInvitationMail(string TeamName, Uri AcceptUrl, string? InviterName = null) : IMailModel
{
    public static string Template => EmailTemplates.TeamInvitation;
}

/// <summary>Sent by CustomerProjectTransferred to the owners of both accounts.</summary>
public sealed record ProjectTransferredMail(string ProjectName, string? FromAccountName = null, string? ToAccountName = null, Uri? ProjectUrl = null) : IMailModel
{
    public static string Template => EmailTemplates.ProjectTransferred;
}

/// <summary>Sent by PasswordResetRequested. The link is a secret: the activity never logs or returns it.</summary>
public sealed record PasswordResetMail(Uri ResetUrl, DateTimeOffset ExpiresAt) : IMailModel
{
    public static string Template => EmailTemplates.PasswordReset;

    /// <summary>Names the fields but not the link, should the record ever be printed.</summary>
    public override string ToString() => $"{nameof(PasswordResetMail)} (reset link not shown) expiring {ExpiresAt:O}";
}

/// <summary>Sent by InactiveUserDetected to the user.</summary>
public sealed record WeMissYouMail(DateOnly? LastActiveAt = null, Uri? AppUrl = null) : IMailModel
{
    public static string Template => EmailTemplates.WeMissYou;
}

/// <summary>Sent by CrawlerIncident to the on-call list when the severity is high or critical.</summary>
public sealed record CrawlerIncidentMail(
    string IncidentId,
    string Severity,
    string Summary,
    string? ProjectUuid = null,
    string? ProjectName = null,
    string? ReportId = null,
    string? Details = null,
    string? TicketKey = null,
    Uri? TicketUrl = null) : IMailModel
{
    public static string Template => EmailTemplates.CrawlerIncident;
}

/// <summary>Sent by DataDeliveryFailed to the project's users subscribed to delivery failures.</summary>
public sealed record DataDeliveryFailedMail(
    string ReportId,
    string RunId,
    string Destination,
    string? ReportName = null,
    string? ProjectName = null,
    string? Error = null,
    string? TicketKey = null,
    Uri? TicketUrl = null) : IMailModel
{
    public static string Template => EmailTemplates.DataDeliveryFailed;
}
