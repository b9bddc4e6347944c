using System.Text.Json.Serialization;
using EventProcessor.Events.Payloads;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// Source-generated JSON of what the trigger stores in Temporal: every workflow input
/// (<c>EventInput&lt;TDetail&gt;</c>) and plain strings. The options are the serializer's defaults,
/// exactly what the SDK's <c>JsonPlainConverter</c> uses (<c>new JsonSerializerOptions()</c> in its
/// DefaultPayloadConverter), so the worker reads the same bytes the SDK would have written; no
/// reflection, so the trigger compiles ahead of time. A catalog type missing here fails the
/// trigger's tests (every catalog entry must resolve to a type info).
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(EventInput<UserCreatedDetail>))]
[JsonSerializable(typeof(EventInput<LoginEmailDeliveredDetail>))]
[JsonSerializable(typeof(EventInput<UserTeamInvitedDetail>))]
[JsonSerializable(typeof(EventInput<PasswordResetRequestedDetail>))]
[JsonSerializable(typeof(EventInput<InactiveUserDetectedDetail>))]
[JsonSerializable(typeof(EventInput<CrawlerSummaryCalculatedDetail>))]
[JsonSerializable(typeof(EventInput<CrawlerRunStartedDetail>))]
[JsonSerializable(typeof(EventInput<CrawlerIncidentDetail>))]
[JsonSerializable(typeof(EventInput<HistoryStatsAddedDetail>))]
[JsonSerializable(typeof(EventInput<MeetingScheduledDetail>))]
[JsonSerializable(typeof(EventInput<ContactFormSubmittedDetail>))]
[JsonSerializable(typeof(EventInput<ProjectCreatedDetail>))]
[JsonSerializable(typeof(EventInput<ProjectUpdatedDetail>))]
[JsonSerializable(typeof(EventInput<MetadataUpdatedDetail>))]
[JsonSerializable(typeof(EventInput<UserProjectAddedDetail>))]
[JsonSerializable(typeof(EventInput<CustomerProjectTransferredDetail>))]
[JsonSerializable(typeof(EventInput<ReportUpdatedDetail>))]
[JsonSerializable(typeof(EventInput<ReportCreatedDetail>))]
[JsonSerializable(typeof(EventInput<ReportSchemaGeneratedDetail>))]
[JsonSerializable(typeof(EventInput<ReportCanceledDetail>))]
[JsonSerializable(typeof(EventInput<ReportRunStoppedDetail>))]
[JsonSerializable(typeof(EventInput<ReportRunFailedDetail>))]
[JsonSerializable(typeof(EventInput<ReportDeliveryInitiatedDetail>))]
[JsonSerializable(typeof(EventInput<DataDeliveryFailedDetail>))]
[JsonSerializable(typeof(EventInput<TicketCommentedDetail>))]
[JsonSerializable(typeof(EventInput<ContactMessageRepliedDetail>))]
[JsonSerializable(typeof(EventInput<TicketUpdatedDetail>))]
[JsonSerializable(typeof(EventInput<TicketTransitionedDetail>))]
[JsonSerializable(typeof(EventInput<TicketCreatedDetail>))]
internal sealed partial class WorkflowPayloadJsonContext : JsonSerializerContext;
