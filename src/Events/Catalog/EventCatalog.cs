using System.Collections.Frozen;
using EventProcessor.Events.Payloads;
using F = EventProcessor.Events.Catalog.FieldType;

namespace EventProcessor.Events.Catalog;

/// <summary>
/// The 29 event types (docs/events.md is generated from this class). This is the only list of
/// types and fields in the product: the trigger's validation, the infrastructure's bus rules and
/// schema registry, the published JSON Schemas (<c>schemas/</c>) and the producers' documentation
/// are all derived from it. Each event workflow declares the detail record it handles
/// (<c>IEventWorkflow&lt;TDetail&gt;</c> in src/Workflows); the worker refuses to start unless those
/// declarations cover this list exactly.
/// </summary>
public static class EventCatalog
{
    private const string Webhooks = "phoenix-webhooks";
    private const string ProjectsService = "phoenix-projects-service";
    private const string AccountService = "phoenix-account-service";
    private const string SupportService = "support-service";
    private const string VortexBackend = "vortex-backend";

    private const string ProjectUuidMeaning = "UUID of the platform project";
    private const string ReportIdMeaning = "Id of the report (a crawler configuration of a project), e.g. `rpt-58213`.";
    private const string RunIdMeaning = "Id of one run of the report, e.g. `run-20261120-0007`.";
    private const string TicketKeyMeaning = "Key of the Jira ticket, e.g. `SUP-1234`.";

    /// <summary>Every catalog entry, in the order of docs/events.md.</summary>
    public static IReadOnlyList<EventTypeDefinition> All { get; } =
    [
        // Documented behaviour.
        Define<TicketCommentedDetail>(
            "TicketCommentedEvent", [Webhooks], "notify watchers", d => d.TicketKey,
            "Mails everyone around the ticket about its newest comment: Jira watchers, JSM request participants and the users of the ticket's platform project who are subscribed to `ticketComments`, deduplicated by email, one mail per recipient (`ticket-commented`), never to the comment's author. An internal note goes to internal recipients only.",
            Required("ticketKey", F.String, TicketKeyMeaning + " The processor reads the ticket's newest comment itself."),
            Optional("commentId", F.String, "Id of the comment that was added; informational (the processor mails about the newest comment).")),
        Define<ContactMessageRepliedDetail>(
            "ContactMessageRepliedEvent", [Webhooks], "add reply to ticket and notify", d => d.TicketKey,
            "Adds the reply to the Jira ticket as a comment \"On behalf of {name} <{email}>\" (public when the replier is external, an internal note when internal), once per event even on retry, then notifies the same people as TicketCommented except the replier.",
            Required("ticketKey", F.String, TicketKeyMeaning + " The ticket the replied-to notification was about."),
            Required("messageId", F.String, "The reply's email `Message-ID`, e.g. `<CAF8d1x2=reply@mail.gmail.com>`."),
            Required("fromEmail", F.Email, "Address the reply came from; decides internal or external and is excluded from the notification."),
            Optional("fromName", F.String, "Display name of the replier, shown in the comment."),
            Required("bodyText", F.String, "The reply's text (plain text, quoted history removed by the producer); becomes the comment's body."),
            Optional("receivedAt", F.DateTime, "When the reply was received.")),
        Define<ReportUpdatedDetail>(
            "ReportUpdatedEvent", [Webhooks], "sync project reports to search", d => d.ReportId,
            "Finds the report's project (`projectUuid`, else the report's own), reads all reports of that project from the platform, then replaces the `reports` list of the project's search record (an existing record only; a missing one is not created).",
            Required("reportId", F.String, ReportIdMeaning),
            Optional("projectUuid", F.String, ProjectUuidMeaning + " the report belongs to; looked up from the report when absent.")),
        Define<ReportSchemaGeneratedDetail>(
            "ReportSchemaGeneratedEvent", [Webhooks], "sync generated schema", d => d.ReportId,
            "Asks the platform's report service to sync the report's generated schema (`POST /api/reports/{id}/schema/sync`).",
            Required("reportId", F.String, ReportIdMeaning),
            Optional("schemaId", F.String, "Id of the generated schema; informational.")),
        Define<TicketUpdatedDetail>(
            "TicketUpdatedEvent", [SupportService], "sync ticket to HubSpot", d => d.TicketKey,
            "Reads the ticket from Jira and creates or updates the HubSpot ticket whose `jira_ticket_key` is this key (subject, status, priority, link to Jira).",
            Required("ticketKey", F.String, TicketKeyMeaning)),
        Define<ReportRunStoppedDetail>(
            "ReportRunStoppedEvent", [ProjectsService], "push stop progress", d => d.ReportId,
            "Pushes `report-stop-progress` (`{reportId, runId, status: \"stopped\", percent: 100, seq}`) to the project's channel so the frontend's progress bar finishes.",
            Required("reportId", F.String, ReportIdMeaning),
            Required("runId", F.String, RunIdMeaning),
            Required("projectUuid", F.String, ProjectUuidMeaning + " whose channel gets the push.")),
        Define<ProjectUpdatedDetail>(
            "ProjectUpdatedEvent", [ProjectsService], "sync project to search", d => d.ProjectUuid,
            "Reads the project from the platform and updates its search record (name, status, account, plan, updated time).",
            Required("projectUuid", F.String, ProjectUuidMeaning + " that changed.")),
        Define<TicketTransitionedDetail>(
            "TicketTransitionedEvent", [SupportService], "move HubSpot ticket stage", d => d.TicketKey,
            "Maps the new Jira status to the configured HubSpot pipeline stage and moves the HubSpot ticket there.",
            Required("ticketKey", F.String, TicketKeyMeaning),
            Optional("fromStatus", F.String, "The Jira status the ticket left; informational."),
            Required("toStatus", F.String, "The Jira status the ticket is now in, e.g. `In Progress`; must be one the stage mapping knows.")),
        Define<TicketCreatedDetail>(
            "TicketCreatedEvent", [SupportService], "link project and sync to HubSpot", d => d.TicketKey,
            "Reads the ticket from Jira and its platform project (by `projectUuid`, else by ticket), writes the project's properties onto the ticket, creates or updates the HubSpot ticket and associates it with the reporter's contact.",
            Required("ticketKey", F.String, TicketKeyMeaning),
            Optional("projectUuid", F.String, ProjectUuidMeaning + " the ticket is about; looked up by ticket when absent.")),
        Define<MeetingScheduledDetail>(
            "MeetingScheduledEvent", [Webhooks], "create lead ticket", d => d.MeetingId,
            "Creates one ticket on the lead-tracking board with the meeting's details, exactly once per meeting (label `meeting-{meetingId}`, looked up before creating).",
            Required("meetingId", F.String, "Id of the booking; one lead ticket per id."),
            Required("email", F.Email, "The prospect's email address."),
            Optional("name", F.String, "The prospect's name."),
            Optional("company", F.String, "The prospect's company."),
            Required("scheduledAt", F.DateTime, "When the meeting takes place."),
            Optional("notes", F.FreeForm, "What the prospect wrote when booking, or any structure the booking tool has (answers to its questions); shown in the ticket.")),

        // Behaviour chosen by the product.
        Define<CrawlerSummaryCalculatedDetail>(
            "CrawlerSummaryCalculatedEvent", ["eq-processor"], "publish run summary", d => d.ReportId,
            "Writes the run's totals to the project's search record (`lastRunSummary`) and pushes `crawler-summary` to the project's channel.",
            Required("projectUuid", F.String, ProjectUuidMeaning + "."),
            Required("reportId", F.String, ReportIdMeaning),
            Required("runId", F.String, RunIdMeaning),
            Optional("rowCount", F.Integer, "Rows the run produced."),
            Optional("errorCount", F.Integer, "Rows or pages that failed."),
            Optional("durationSeconds", F.Number, "How long the run took, in seconds.")),
        Define<ProjectCreatedDetail>(
            "ProjectCreatedEvent", [ProjectsService], "index new project", d => d.ProjectUuid,
            "Reads the new project from the platform and creates (or replaces) its search record.",
            Required("projectUuid", F.String, ProjectUuidMeaning + " that was created.")),
        Define<UserProjectAddedDetail>(
            "UserProjectAddedEvent", [AccountService], "grant access and notify user", d => d.ProjectUuid,
            "Reads the project's users and updates `userIds` of its search record; mails `project-access-granted` to the added user when subscribed to `projectAccess`.",
            Required("projectUuid", F.String, ProjectUuidMeaning + " the user was added to."),
            Required("userId", F.String, "Id of the platform user who was added.")),
        Define<MetadataUpdatedDetail>(
            "MetadataUpdatedEvent", [ProjectsService], "sync metadata to search", d => d.ProjectUuid,
            "Reads the project from the platform and replaces `metadata` of its search record.",
            Required("projectUuid", F.String, ProjectUuidMeaning + " whose metadata changed.")),
        Define<ReportRunFailedDetail>(
            "ReportRunFailedEvent", ["phoenix-flink-crawler-events"], "notify run failure", d => d.ReportId,
            "Pushes `report-run-failed` (the reason as text, cut to 1000 characters), re-syncs the project's `reports` in search, and mails `report-run-failed` (with the reason) to the project's users subscribed to `runFailures`.",
            Required("reportId", F.String, ReportIdMeaning),
            Required("runId", F.String, RunIdMeaning),
            Required("projectUuid", F.String, ProjectUuidMeaning + "."),
            Optional("reason", F.FreeForm, "Why the run failed: a message, or the failing component's own error structure; shown in the mail.")),
        Define<CrawlerIncidentDetail>(
            "CrawlerIncidentEvent", [VortexBackend], "open incident ticket", d => d.IncidentId,
            "Opens one Jira ticket in the incidents project (label `incident-{incidentId}`, looked up first, so redeliveries find it). Severity `high` or `critical` (any case) also mails the configured on-call list (`crawler-incident`), naming the ticket when Jira answers within 30 s.",
            Required("incidentId", F.String, "Id of the incident; one ticket per id."),
            Required("severity", F.String, "`low`, `medium`, `high` or `critical` (any case); `high` and `critical` page on-call."),
            Required("summary", F.String, "One line saying what is wrong; becomes the ticket's summary and the mail's subject."),
            Optional("projectUuid", F.String, ProjectUuidMeaning + " affected, if any; shown as given."),
            Optional("reportId", F.String, "Id of the report affected, if any; shown as given."),
            Optional("details", F.FreeForm, "Everything else the crawler platform knows: text, or any JSON (an object of metrics, a list of failing hosts, ...); shown in the ticket and the page.")),
        Define<ContactFormSubmittedDetail>(
            "ContactFormSubmittedEvent", [Webhooks], "record contact and create lead ticket", d => d.SubmissionId,
            "Creates or updates the HubSpot contact by email and creates one ticket on the lead-tracking board (label `contact-{submissionId}`, looked up first).",
            Required("submissionId", F.String, "Id of the form submission; one lead ticket per id."),
            Required("email", F.Email, "The sender's email address."),
            Optional("name", F.String, "The sender's name."),
            Optional("company", F.String, "The sender's company."),
            Required("message", F.String, "What the sender wrote; shown in the ticket.")),
        Define<HistoryStatsAddedDetail>(
            "HistoryStatsAddedEvent", [VortexBackend], "sync stats to search", d => d.ReportId,
            "Replaces `stats` of the project's search record with the object as given.",
            Required("projectUuid", F.String, ProjectUuidMeaning + "."),
            Required("reportId", F.String, ReportIdMeaning),
            Required("stats", F.Object, "The stats service's figures, an object of its own shape (e.g. `{\"runs\": 31, \"successRate\": 0.967}`); stored as one search attribute, so it must be an object.")),
        Define<ReportCreatedDetail>(
            "ReportCreatedEvent", [Webhooks, "phoenix-api"], "sync project reports to search", d => d.ReportId,
            "Same as ReportUpdatedEvent: replaces the `reports` list of the project's search record.",
            Required("reportId", F.String, ReportIdMeaning),
            Optional("projectUuid", F.String, ProjectUuidMeaning + " the report belongs to; looked up from the report when absent.")),
        Define<ReportCanceledDetail>(
            "ReportCanceledEvent", [ProjectsService], "sync reports and push cancel", d => d.ReportId,
            "Re-syncs the project's `reports` in search and pushes `report-canceled` to the project's channel.",
            Required("reportId", F.String, ReportIdMeaning),
            Required("projectUuid", F.String, ProjectUuidMeaning + ".")),
        Define<UserCreatedDetail>(
            "UserCreatedEvent", [AccountService], "upsert HubSpot contact", d => d.UserId,
            "Creates or updates the HubSpot contact with this email (name and company when given).",
            Required("userId", F.String, "Id of the new platform user."),
            Required("email", F.Email, "The user's email address; the HubSpot contact's key."),
            Optional("name", F.String, "The user's full name."),
            Optional("company", F.String, "The user's company.")),
        Define<LoginEmailDeliveredDetail>(
            "LoginEmailDeliveredEvent", [AccountService], "record login email delivery", d => d.UserId,
            "Sets the HubSpot contact property `last_login_email_delivered_at`.",
            Required("userId", F.String, "Id of the platform user."),
            Required("email", F.Email, "The user's email address; finds the HubSpot contact."),
            Required("deliveredAt", F.DateTime, "When the login email was delivered.")),
        Define<DataDeliveryFailedDetail>(
            "DataDeliveryFailedEvent", [ProjectsService], "notify delivery failure", d => d.ReportId,
            "Pushes `data-delivery-failed` (the error as text, cut to 1000 characters), mails `data-delivery-failed` to the project's users subscribed to `deliveryFailures`, and opens one Jira ticket per run in the support project (label `delivery-{runId}`, looked up first).",
            Required("reportId", F.String, ReportIdMeaning),
            Required("runId", F.String, RunIdMeaning + " One ticket per run."),
            Required("projectUuid", F.String, ProjectUuidMeaning + "."),
            Required("destination", F.String, "Where the data was to go, e.g. `s3://bucket/prefix/`."),
            Optional("error", F.FreeForm, "What went wrong: a message, or the destination's own error structure; shown in the mail and the ticket.")),
        Define<CrawlerRunStartedDetail>(
            "CrawlerRunStartedEvent", [VortexBackend], "push run started", d => d.ReportId,
            "Pushes `report-run-started` (percent 0) to the project's channel.",
            Required("reportId", F.String, ReportIdMeaning),
            Required("runId", F.String, RunIdMeaning),
            Required("projectUuid", F.String, ProjectUuidMeaning + " whose channel gets the push.")),
        Define<ReportDeliveryInitiatedDetail>(
            "ReportDeliveryInitiatedEvent", [ProjectsService], "push delivery initiated", d => d.ReportId,
            "Pushes `report-delivery-initiated` to the project's channel.",
            Required("reportId", F.String, ReportIdMeaning),
            Required("runId", F.String, RunIdMeaning),
            Required("projectUuid", F.String, ProjectUuidMeaning + " whose channel gets the push."),
            Optional("destination", F.String, "Where the data goes, e.g. `s3://bucket/prefix/`.")),
        Define<UserTeamInvitedDetail>(
            "UserTeamInvitedEvent", [AccountService], "email team invitation", d => d.TeamName,
            "Mails `team-invitation` with the accept link to the invitee.",
            Required("inviteId", F.String, "Id of the invitation; one mail per id."),
            Required("inviteeEmail", F.Email, "Who is invited."),
            Required("teamName", F.String, "The team's name; named in the subject."),
            Required("acceptUrl", F.Url, "Absolute http(s) link that accepts the invitation."),
            Optional("inviterName", F.String, "Who invited, shown in the mail.")),
        Define<CustomerProjectTransferredDetail>(
            "CustomerProjectTransferredEvent", [ProjectsService], "move project to new account", d => d.ProjectUuid,
            "Updates `accountId` of the project's search record and mails `project-transferred` to the owners of both accounts.",
            Required("projectUuid", F.String, ProjectUuidMeaning + " that moved."),
            Required("fromAccountId", F.String, "Id of the account the project left."),
            Required("toAccountId", F.String, "Id of the account the project now belongs to.")),
        Define<PasswordResetRequestedDetail>(
            "PasswordResetRequestedEvent", [AccountService], "email password reset link", d => d.UserId,
            "Mails `password-reset` with the link, or skips (and says so in the run's result) when the link has already expired.",
            Required("userId", F.String, "Id of the platform user."),
            Required("email", F.Email, "Where the link goes."),
            Required("resetUrl", F.Url, "Absolute http(s) reset link. A secret: the processor never logs it."),
            Required("expiresAt", F.DateTime, "When the link stops working.")),
        Define<InactiveUserDetectedDetail>(
            "InactiveUserDetectedEvent", [VortexBackend], "mark inactive and send we-miss-you", d => d.UserId,
            "Sets the HubSpot contact property `inactive_since` and mails `we-miss-you` when the user is subscribed to `productUpdates`.",
            Required("userId", F.String, "Id of the platform user."),
            Required("email", F.Email, "The user's email address; finds the HubSpot contact."),
            Required("lastActiveAt", F.DateTime, "When the user was last active.")),
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
        string detailType, string[] sources, string action, Func<TDetail, string> businessKey, string behaviour, params EventField[] fields)
        where TDetail : IEventDetail =>
        new(detailType, sources, action, businessKey, behaviour, fields);

    private static EventField Required(string name, FieldType type, string description) => new(name, type, true, description);

    private static EventField Optional(string name, FieldType type, string description) => new(name, type, false, description);
}
