using System.Collections.Frozen;
using EventProcessor.Events.Payloads;

namespace EventProcessor.Events.Catalog;

/// <summary>
/// The 29 event types of events.md. This is the only list of types in the product: the trigger,
/// the worker's registrations and the infrastructure's bus rules are all derived from it.
/// </summary>
public static class EventCatalog
{
    private const string Webhooks = "phoenix-webhooks";
    private const string ProjectsService = "phoenix-projects-service";
    private const string AccountService = "phoenix-account-service";
    private const string SupportService = "support-service";
    private const string VortexBackend = "vortex-backend";

    /// <summary>Every catalog entry, in the order of events.md.</summary>
    public static IReadOnlyList<EventTypeDefinition> All { get; } =
    [
        // Documented behaviour.
        Define<TicketCommentedDetail>("TicketCommentedEvent", [Webhooks], "notify watchers", d => d.TicketKey),
        Define<ContactMessageRepliedDetail>("ContactMessageRepliedEvent", [Webhooks], "add reply to ticket and notify", d => d.TicketKey),
        Define<ReportUpdatedDetail>("ReportUpdatedEvent", [Webhooks], "sync project reports to search", d => d.ReportId),
        Define<ReportSchemaGeneratedDetail>("ReportSchemaGeneratedEvent", [Webhooks], "sync generated schema", d => d.ReportId),
        Define<TicketUpdatedDetail>("TicketUpdatedEvent", [SupportService], "sync ticket to HubSpot", d => d.TicketKey),
        Define<ReportRunStoppedDetail>("ReportRunStoppedEvent", [ProjectsService], "push stop progress", d => d.ReportId),
        Define<ProjectUpdatedDetail>("ProjectUpdatedEvent", [ProjectsService], "sync project to search", d => d.ProjectUuid),
        Define<TicketTransitionedDetail>("TicketTransitionedEvent", [SupportService], "move HubSpot ticket stage", d => d.TicketKey),
        Define<TicketCreatedDetail>("TicketCreatedEvent", [SupportService], "link project and sync to HubSpot", d => d.TicketKey),
        Define<MeetingScheduledDetail>("MeetingScheduledEvent", [Webhooks], "create lead ticket", d => d.MeetingId),

        // Behaviour chosen by the product.
        Define<CrawlerSummaryCalculatedDetail>("CrawlerSummaryCalculatedEvent", ["eq-processor"], "publish run summary", d => d.ReportId),
        Define<ProjectCreatedDetail>("ProjectCreatedEvent", [ProjectsService], "index new project", d => d.ProjectUuid),
        Define<UserProjectAddedDetail>("UserProjectAddedEvent", [AccountService], "grant access and notify user", d => d.ProjectUuid),
        Define<MetadataUpdatedDetail>("MetadataUpdatedEvent", [ProjectsService], "sync metadata to search", d => d.ProjectUuid),
        Define<ReportRunFailedDetail>("ReportRunFailedEvent", ["phoenix-flink-crawler-events"], "notify run failure", d => d.ReportId),
        Define<CrawlerIncidentDetail>("CrawlerIncidentEvent", [VortexBackend], "open incident ticket", d => d.IncidentId),
        Define<ContactFormSubmittedDetail>("ContactFormSubmittedEvent", [Webhooks], "record contact and create lead ticket", d => d.SubmissionId),
        Define<HistoryStatsAddedDetail>("HistoryStatsAddedEvent", [VortexBackend], "sync stats to search", d => d.ReportId),
        Define<ReportCreatedDetail>("ReportCreatedEvent", [Webhooks, "phoenix-api"], "sync project reports to search", d => d.ReportId),
        Define<ReportCanceledDetail>("ReportCanceledEvent", [ProjectsService], "sync reports and push cancel", d => d.ReportId),
        Define<UserCreatedDetail>("UserCreatedEvent", [AccountService], "upsert HubSpot contact", d => d.UserId),
        Define<LoginEmailDeliveredDetail>("LoginEmailDeliveredEvent", [AccountService], "record login email delivery", d => d.UserId),
        Define<DataDeliveryFailedDetail>("DataDeliveryFailedEvent", [ProjectsService], "notify delivery failure", d => d.ReportId),
        Define<CrawlerRunStartedDetail>("CrawlerRunStartedEvent", [VortexBackend], "push run started", d => d.ReportId),
        Define<ReportDeliveryInitiatedDetail>("ReportDeliveryInitiatedEvent", [ProjectsService], "push delivery initiated", d => d.ReportId),
        Define<UserTeamInvitedDetail>("UserTeamInvitedEvent", [AccountService], "email team invitation", d => d.TeamName),
        Define<CustomerProjectTransferredDetail>("CustomerProjectTransferredEvent", [ProjectsService], "move project to new account", d => d.ProjectUuid),
        Define<PasswordResetRequestedDetail>("PasswordResetRequestedEvent", [AccountService], "email password reset link", d => d.UserId),
        Define<InactiveUserDetectedDetail>("InactiveUserDetectedEvent", [VortexBackend], "mark inactive and send we-miss-you", d => d.UserId),
    ];

    private static readonly FrozenDictionary<string, EventTypeDefinition> ByDetailType =
        All.ToFrozenDictionary(d => d.DetailType, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, EventTypeDefinition> ByWorkflowType =
        All.ToFrozenDictionary(d => d.WorkflowType, StringComparer.Ordinal);

    /// <summary>The entry for a <c>detail-type</c>; matching is exact, as EventBridge rules match.</summary>
    public static bool TryGet(string detailType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventTypeDefinition? definition) =>
        ByDetailType.TryGetValue(detailType, out definition);

    /// <summary>The entry whose workflow type is <paramref name="workflowType"/>.</summary>
    public static bool TryGetByWorkflowType(string workflowType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventTypeDefinition? definition) =>
        ByWorkflowType.TryGetValue(workflowType, out definition);

    /// <summary>The entry for a <c>detail-type</c>, or an exception naming it.</summary>
    public static EventTypeDefinition Get(string detailType) =>
        TryGet(detailType, out var definition)
            ? definition
            : throw new KeyNotFoundException($"'{detailType}' is not a detail-type of the event catalog.");

    private static EventTypeDefinition<TDetail> Define<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] TDetail>(
        string detailType, string[] sources, string action, Func<TDetail, string> businessKey)
        where TDetail : IEventDetail =>
        new(detailType, sources, action, businessKey);
}
