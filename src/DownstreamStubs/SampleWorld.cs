using System.Text.Json.Nodes;

namespace EventProcessor.DownstreamStubs;

/// <summary>
/// The world the sample events of <c>samples/events</c> live in, arranged on the stand-ins so
/// every sample succeeds: the Acme Retail project (<see cref="ProjectUuid"/>) with its reports,
/// users, owner accounts and search record, the support tickets SUP-1234 (with a customer comment,
/// watchers, a JSM participant and its HubSpot mirror) and SUP-1235, the newly created Northwind
/// project, and the HubSpot contacts of the users the samples name. One place, used by the local
/// run and its tests, so what "a realistic world" means is written once.
/// </summary>
public static class SampleWorld
{
    public const string ProjectUuid = "3f6c2a9e-8d41-4b7a-9c1e-5a2d7e0b4c91";
    public const string NewProjectUuid = "9b1d3c7a-2e44-4f0b-8a6d-1c5e9f7b2d03";
    public const string CommentedTicket = "SUP-1234";
    public const string CreatedTicket = "SUP-1235";
    public const string PasswordResetToken = "q8Zr1vT0xLm4";

    public static readonly StubJiraUser Maria = new("acc-maria", "Maria Lopez", "maria.lopez@acme-retail.com");
    public static readonly StubJiraUser Agent = new("acc-agent", "Sam Agent", $"sam.agent@{DownstreamStandIns.InternalDomain}");
    public static readonly StubJiraUser HiddenEmail = new("acc-hidden", "Private Person");
    public static readonly StubJiraUser Tom = new("acc-tom", "Tom Baker", "tom.baker@acme-retail.com");

    public static readonly StubPlatformProject Project = new(
        ProjectUuid, "Acme Retail price tracking", AccountId: "acc-1001", OwnerEmail: "maria.lopez@acme-retail.com", Plan: "pro",
        Metadata: new Dictionary<string, object?>(StringComparer.Ordinal) { ["industry"] = "retail", ["region"] = "DE" });

    public static readonly StubPlatformProject NewProject = new(
        NewProjectUuid, "Northwind competitor prices", AccountId: "acc-3003", OwnerEmail: "j.chen@northwind-foods.com", Plan: "trial");

    public static readonly StubPlatformReport DailyPrices = new("rpt-58213", ProjectUuid, "Daily prices DE");
    public static readonly StubPlatformReport WeeklyAssortment = new("rpt-58290", ProjectUuid, "Weekly assortment");

    /// <summary>The user the UserProjectAdded sample adds; subscribed to everything a project member can be.</summary>
    public static readonly StubPlatformUser Lena = new(
        "usr-4410", "lena.fischer@acme-retail.com", "Lena Fischer", ["ticketComments", "projectAccess", "runFailures", "deliveryFailures"]);

    public static readonly StubPlatformUser Ops = new(
        "usr-2", $"ops@{DownstreamStandIns.InternalDomain}", "Ops", ["ticketComments", "runFailures", "deliveryFailures"]);

    public static readonly StubPlatformUser Quiet = new("usr-3", "quiet@acme-retail.com", "Quiet", ["runFailures"]);

    public static readonly StubPlatformUser Sam = new("usr-4411", "sam.okafor@acme-retail.com", "Sam Okafor", ["productUpdates"]);

    public static readonly StubPlatformUser TomUser = new("usr-3020", "tom.baker@acme-retail.com", "Tom Baker", ["productUpdates"]);

    /// <summary>
    /// What each sample must touch, by <c>detail-type</c> (API names as in
    /// <see cref="DownstreamStandIns.RequestCounts"/>): the systems docs/events.md says its workflow writes
    /// to or reads from. A sample missing here is one nobody has described yet.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ExpectedApis { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["TicketCommentedEvent"] = ["Jira", "Platform", "Smtp"],
        ["ContactMessageRepliedEvent"] = ["Jira", "Platform", "Smtp"],
        ["ReportUpdatedEvent"] = ["Platform", "Algolia"],
        ["ReportSchemaGeneratedEvent"] = ["Platform"],
        ["TicketUpdatedEvent"] = ["Jira", "HubSpot"],
        ["ReportRunStoppedEvent"] = ["Pusher"],
        ["ProjectUpdatedEvent"] = ["Platform", "Algolia"],
        ["TicketTransitionedEvent"] = ["HubSpot"],
        ["TicketCreatedEvent"] = ["Jira", "Platform", "HubSpot"],
        ["MeetingScheduledEvent"] = ["Jira"],
        ["CrawlerSummaryCalculatedEvent"] = ["Algolia", "Pusher"],
        ["ProjectCreatedEvent"] = ["Platform", "Algolia"],
        ["UserProjectAddedEvent"] = ["Platform", "Algolia", "Smtp"],
        ["MetadataUpdatedEvent"] = ["Platform", "Algolia"],
        ["ReportRunFailedEvent"] = ["Platform", "Algolia", "Pusher", "Smtp"],
        ["CrawlerIncidentEvent"] = ["Jira", "Smtp"],
        ["ContactFormSubmittedEvent"] = ["HubSpot", "Jira"],
        ["HistoryStatsAddedEvent"] = ["Algolia"],
        ["ReportCreatedEvent"] = ["Platform", "Algolia"],
        ["ReportCanceledEvent"] = ["Platform", "Algolia", "Pusher"],
        ["UserCreatedEvent"] = ["HubSpot"],
        ["LoginEmailDeliveredEvent"] = ["HubSpot"],
        ["DataDeliveryFailedEvent"] = ["Pusher", "Smtp", "Jira"],
        ["CrawlerRunStartedEvent"] = ["Pusher"],
        ["ReportDeliveryInitiatedEvent"] = ["Pusher"],
        ["UserTeamInvitedEvent"] = ["Smtp"],
        ["CustomerProjectTransferredEvent"] = ["Algolia", "Smtp"],
        ["PasswordResetRequestedEvent"] = ["Smtp"],
        ["InactiveUserDetectedEvent"] = ["HubSpot", "Smtp"],
    };

    public static void Arrange(DownstreamStandIns downstream)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        ArrangeJira(downstream.Jira);
        ArrangePlatform(downstream.Platform);
        downstream.Algolia.Record(DownstreamStandIns.ProjectsIndex, ProjectUuid, new JsonObject
        {
            ["name"] = Project.Name,
            ["status"] = Project.Status,
            ["accountId"] = Project.AccountId,
            ["plan"] = Project.Plan,
            ["reports"] = new JsonArray(new JsonObject { ["id"] = DailyPrices.Id, ["name"] = DailyPrices.Name, ["status"] = DailyPrices.Status }),
        });

        // Contacts the user samples update in place, and the HubSpot mirror of SUP-1234 that
        // TicketTransitioned moves (it exists because SUP-1234 was created long before the samples).
        foreach (var email in new[] { Maria.Email!, Sam.Email!, TomUser.Email! })
        {
            downstream.HubSpot.Contact(email, new Dictionary<string, string>(StringComparer.Ordinal) { ["lifecyclestage"] = "customer" });
        }

        downstream.HubSpot.Ticket(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["jira_ticket_key"] = CommentedTicket,
            ["subject"] = "Export stops at 10k rows",
            ["hs_pipeline"] = "0",
            ["hs_pipeline_stage"] = "1",
        });
    }

    private static void ArrangeJira(JiraStub jira)
    {
        jira.Issue(new StubJiraIssue(CommentedTicket, "Export stops at 10k rows", "Waiting for support", "High", Maria))
            .LatestComment(CommentedTicket, new StubJiraComment(
                "10042", Maria, "The export still stops at 10,000 rows.", new DateTimeOffset(2026, 11, 20, 10, 14, 0, TimeSpan.Zero)))
            .Watchers(CommentedTicket, Maria, Agent, HiddenEmail)
            .Participants(CommentedTicket, Tom);
        jira.Issue(new StubJiraIssue(CreatedTicket, "Proxy errors on the DE shop crawl", "Open", "Medium", Maria))
            .Watchers(CreatedTicket, Maria);
    }

    private static void ArrangePlatform(PlatformStub platform)
    {
        platform
            .Project(Project)
            .Project(NewProject)
            .ProjectReports(ProjectUuid, DailyPrices, WeeklyAssortment)
            .ProjectReports(NewProjectUuid)
            .ProjectUsers(ProjectUuid, Lena, Ops, Quiet)
            .ProjectUsers(NewProjectUuid)
            .Report(DailyPrices)
            .Report(WeeklyAssortment)
            .TicketProject(CommentedTicket, Project)
            .TicketProject(CreatedTicket, Project)
            .User(Lena)
            .User(Ops)
            .User(Sam)
            .User(TomUser)
            .Account(new StubPlatformAccount("acc-1001", "Acme Retail", "maria.lopez@acme-retail.com"))
            .Account(new StubPlatformAccount("acc-2002", "Acme Retail Group", "finance@acme-retail-group.example"))
            .Account(new StubPlatformAccount("acc-3003", "Northwind Foods", "j.chen@northwind-foods.com"))
            .SchemaSync(DailyPrices.Id, "job-schema-9f31");
    }
}
