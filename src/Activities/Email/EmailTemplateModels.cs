using System.Globalization;

namespace EventProcessor.Activities.Email;

/// <summary>
/// Typed builders of each template's model, so a workflow cannot misspell a field. The model
/// travels through Temporal as a plain string map (one activity input type for every template);
/// these methods only name and format its fields. Times are shown in UTC, e.g. <c>2026-11-20 10:15 UTC</c>.
/// </summary>
public static class EmailTemplateModels
{
    public static IReadOnlyDictionary<string, string?> TicketCommented(
        string ticketKey, string commentAuthor, string commentBody, string? ticketSummary = null, Uri? ticketUrl = null, bool internalNote = false) =>
        Model(
            ("ticketKey", ticketKey),
            ("commentAuthor", commentAuthor),
            ("commentBody", commentBody),
            ("ticketSummary", ticketSummary),
            ("ticketUrl", ticketUrl?.AbsoluteUri),
            ("internalNote", internalNote ? "true" : "false"));

    public static IReadOnlyDictionary<string, string?> ProjectAccessGranted(string projectName, Uri? projectUrl = null, string? grantedBy = null) =>
        Model(("projectName", projectName), ("projectUrl", projectUrl?.AbsoluteUri), ("grantedBy", grantedBy));

    public static IReadOnlyDictionary<string, string?> ReportRunFailed(
        string reportId, string runId, string? reportName = null, string? projectName = null, string? reason = null, Uri? reportUrl = null) =>
        Model(
            ("reportId", reportId),
            ("runId", runId),
            ("reportName", reportName),
            ("projectName", projectName),
            ("reason", reason),
            ("reportUrl", reportUrl?.AbsoluteUri));

    public static IReadOnlyDictionary<string, string?> TeamInvitation(string teamName, Uri acceptUrl, string? inviterName = null) =>
        Model(("teamName", teamName), ("acceptUrl", acceptUrl?.AbsoluteUri), ("inviterName", inviterName));

    public static IReadOnlyDictionary<string, string?> ProjectTransferred(
        string projectName, string? fromAccountName = null, string? toAccountName = null, Uri? projectUrl = null) =>
        Model(
            ("projectName", projectName),
            ("fromAccountName", fromAccountName),
            ("toAccountName", toAccountName),
            ("projectUrl", projectUrl?.AbsoluteUri));

    /// <summary>The reset link is a secret: the activity never logs or returns it.</summary>
    public static IReadOnlyDictionary<string, string?> PasswordReset(Uri resetUrl, DateTimeOffset expiresAt) =>
        Model(("resetUrl", resetUrl?.AbsoluteUri), ("expiresAt", Format(expiresAt)));

    public static IReadOnlyDictionary<string, string?> WeMissYou(DateTimeOffset? lastActiveAt = null, Uri? appUrl = null) =>
        Model(("lastActiveAt", lastActiveAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null), ("appUrl", appUrl?.AbsoluteUri));

    public static IReadOnlyDictionary<string, string?> CrawlerIncident(
        string incidentId,
        string severity,
        string summary,
        string? projectUuid = null,
        string? projectName = null,
        string? reportId = null,
        string? details = null,
        string? ticketKey = null,
        Uri? ticketUrl = null) =>
        Model(
            ("incidentId", incidentId),
            ("severity", severity),
            ("summary", summary),
            ("projectUuid", projectUuid),
            ("projectName", projectName),
            ("reportId", reportId),
            ("details", details),
            ("ticketKey", ticketKey),
            ("ticketUrl", ticketUrl?.AbsoluteUri));

    public static IReadOnlyDictionary<string, string?> DataDeliveryFailed(
        string reportId,
        string runId,
        string destination,
        string? reportName = null,
        string? projectName = null,
        string? error = null,
        string? ticketKey = null,
        Uri? ticketUrl = null) =>
        Model(
            ("reportId", reportId),
            ("runId", runId),
            ("destination", destination),
            ("reportName", reportName),
            ("projectName", projectName),
            ("error", error),
            ("ticketKey", ticketKey),
            ("ticketUrl", ticketUrl?.AbsoluteUri));

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static Dictionary<string, string?> Model(params (string Name, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
}
