using System.Text.Json.Serialization;
using EventProcessor.Events.Payloads;

namespace EventProcessor.Events.Serialization;

/// <summary>Source-generated (reflection-free, fast to start) JSON contracts of every detail record.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(TicketCommentedDetail))]
[JsonSerializable(typeof(ContactMessageRepliedDetail))]
[JsonSerializable(typeof(ReportUpdatedDetail))]
[JsonSerializable(typeof(ReportSchemaGeneratedDetail))]
[JsonSerializable(typeof(TicketUpdatedDetail))]
[JsonSerializable(typeof(ReportRunStoppedDetail))]
[JsonSerializable(typeof(ProjectUpdatedDetail))]
[JsonSerializable(typeof(TicketTransitionedDetail))]
[JsonSerializable(typeof(TicketCreatedDetail))]
[JsonSerializable(typeof(MeetingScheduledDetail))]
[JsonSerializable(typeof(CrawlerSummaryCalculatedDetail))]
[JsonSerializable(typeof(ProjectCreatedDetail))]
[JsonSerializable(typeof(UserProjectAddedDetail))]
[JsonSerializable(typeof(MetadataUpdatedDetail))]
[JsonSerializable(typeof(ReportRunFailedDetail))]
[JsonSerializable(typeof(CrawlerIncidentDetail))]
[JsonSerializable(typeof(ContactFormSubmittedDetail))]
[JsonSerializable(typeof(HistoryStatsAddedDetail))]
[JsonSerializable(typeof(ReportCreatedDetail))]
[JsonSerializable(typeof(ReportCanceledDetail))]
[JsonSerializable(typeof(UserCreatedDetail))]
[JsonSerializable(typeof(LoginEmailDeliveredDetail))]
[JsonSerializable(typeof(DataDeliveryFailedDetail))]
[JsonSerializable(typeof(CrawlerRunStartedDetail))]
[JsonSerializable(typeof(ReportDeliveryInitiatedDetail))]
[JsonSerializable(typeof(UserTeamInvitedDetail))]
[JsonSerializable(typeof(CustomerProjectTransferredDetail))]
[JsonSerializable(typeof(PasswordResetRequestedDetail))]
[JsonSerializable(typeof(InactiveUserDetectedDetail))]
public sealed partial class EventJsonContext : JsonSerializerContext;
