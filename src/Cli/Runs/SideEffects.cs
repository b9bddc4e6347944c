namespace EventProcessor.Cli.Runs;

/// <summary>
/// What each activity type of the product changes outside its run, so a re-run can say which
/// side effects would happen again. Reads are listed as such: repeating them changes nothing. An
/// activity type missing from both lists counts as a side effect (a new activity must be described
/// here before the CLI will repeat it without asking); a test checks every registered activity is.
/// </summary>
public static class SideEffects
{
    private static readonly Dictionary<string, string> Writes = new(StringComparer.Ordinal)
    {
        // Seen by people: these are the ones a repeat is noticed for.
        ["SendTemplated"] = "mail",
        ["PushTrigger"] = "push",
        ["PushTriggerBatch"] = "push",

        // Made once by a lookup before writing (event id or label), yet still calls made again.
        ["AddCommentOnce"] = "Jira comment",
        ["CreateIssueOnce"] = "Jira issue",
        ["UpdateIssueFields"] = "Jira issue fields",
        ["UpsertContact"] = "HubSpot contact",
        ["SetContactProperties"] = "HubSpot contact",
        ["UpsertTicket"] = "HubSpot ticket",
        ["AssociateTicketWithContact"] = "HubSpot association",
        ["MoveTicketToStage"] = "HubSpot ticket stage",
        ["SaveProject"] = "Algolia record",
        ["PartialUpdateProject"] = "Algolia record",
        ["SyncReportSchema"] = "platform schema sync",

        // Hand the change to the entity's sync workflow, which writes it again (burst coalescing, docs/worker.md).
        ["RequestProjectSearchSync"] = "Algolia record (through its search sync)",
        ["RequestHubSpotTicketSync"] = "HubSpot ticket (through its sync)",
    };

    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "GetProject", "GetProjectReports", "GetProjectUsers", "GetReport", "GetTicketProject", "GetUser", "GetAccount",
        "GetLatestComment", "GetTicketPeople", "GetIssue", "GetNotificationPolicy", "BrowseProjects",
    };

    /// <summary>Every activity type described here, writes and reads.</summary>
    public static IReadOnlyCollection<string> KnownActivityTypes => [.. Writes.Keys, .. ReadOnly];

    /// <summary>The side effect of <paramref name="activityType"/> ("mail", "Jira comment"...), or null for a read.</summary>
    public static string? KindOf(string activityType) =>
        Writes.TryGetValue(activityType, out var kind) ? kind
        : ReadOnly.Contains(activityType) ? null
        : "unknown activity";
}
