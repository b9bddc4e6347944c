using System.Globalization;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Payloads;
using EventProcessor.Events.Validation;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// Builds the StartWorkflowExecution request for an event as the SDK's StartWorkflowAsync built
/// it (the trigger's tests compare the two field by field and payload by payload). The trigger
/// sends it itself because only the raw response says whether the run was started by this call or
/// already existed (a duplicate delivery), and that costs no extra call.
/// </summary>
public sealed class StartRequestFactory
{
    /// <summary>Memo keys: the envelope facts a person needs without opening the input.</summary>
    public const string MemoEventId = "eventId";
    public const string MemoEventSource = "eventSource";
    public const string MemoEventTime = "eventTime";
    public const string MemoDetailType = "detailType";

    private readonly string ns;
    private readonly string taskQueue;
    private readonly string identity;
    private readonly WorkflowPayloads payloads;

    /// <param name="identity">Who started the run, as Temporal shows it; the SDK's default is <c>pid@host</c>.</param>
    public StartRequestFactory(string @namespace, string taskQueue, WorkflowPayloads payloads, string? identity = null)
    {
        ns = @namespace ?? throw new ArgumentNullException(nameof(@namespace));
        this.taskQueue = taskQueue ?? throw new ArgumentNullException(nameof(taskQueue));
        this.payloads = payloads ?? throw new ArgumentNullException(nameof(payloads));
        this.identity = identity ?? $"{Environment.ProcessId}@{Environment.MachineName}";
    }

    public StartWorkflowExecutionRequest Create(ParsedEvent parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var envelope = parsed.Envelope;
        var request = new StartWorkflowExecutionRequest
        {
            Namespace = ns,
            WorkflowId = parsed.WorkflowId,
            WorkflowType = new WorkflowType { Name = parsed.WorkflowType },
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = taskQueue },
            Identity = identity,
            RequestId = Guid.NewGuid().ToString(),

            // Running duplicate: attach to it. Closed duplicate (inside retention): refuse.
            WorkflowIdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
            WorkflowIdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            SearchAttributes = SearchAttributes(envelope.DetailType, envelope.Source, envelope.Id, parsed.Detail),
            UserMetadata = new UserMetadata
            {
                Summary = payloads.String(parsed.Summary),
                Details = payloads.String(parsed.Details),
            },
            Input = new Payloads { Payloads_ = { payloads.Input(parsed) } },
            Memo = new Memo
            {
                Fields =
                {
                    [MemoEventId] = payloads.String(envelope.Id),
                    [MemoEventSource] = payloads.String(envelope.Source),
                    [MemoEventTime] = payloads.String(envelope.Time.ToString("O", CultureInfo.InvariantCulture)),
                    [MemoDetailType] = payloads.String(envelope.DetailType),
                },
            },
        };
        return request;
    }

    /// <summary>
    /// The attributes EventSearchAttributes.For gives (the envelope's three, then those the detail
    /// has), written without the SDK's SearchAttributeCollection, whose reflection-based JSON does
    /// not compile ahead of time. The tests compare both for every sample.
    /// </summary>
    private static SearchAttributes SearchAttributes(string detailType, string source, string eventId, IEventDetail detail)
    {
        var attributes = new SearchAttributes
        {
            IndexedFields =
            {
                [EventSearchAttributes.EventType.Name] = WorkflowPayloads.Keyword(detailType),
                [EventSearchAttributes.EventSource.Name] = WorkflowPayloads.Keyword(source),
                [EventSearchAttributes.EventId.Name] = WorkflowPayloads.Keyword(eventId),
            },
        };
        if (detail is IHasProjectUuid { ProjectUuid: { Length: > 0 } project })
        {
            attributes.IndexedFields[EventSearchAttributes.ProjectUuid.Name] = WorkflowPayloads.Keyword(project);
        }

        if (detail is IHasTicketKey { TicketKey: { Length: > 0 } ticket })
        {
            attributes.IndexedFields[EventSearchAttributes.TicketKey.Name] = WorkflowPayloads.Keyword(ticket);
        }

        if (detail is IHasReportId { ReportId: { Length: > 0 } report })
        {
            attributes.IndexedFields[EventSearchAttributes.ReportId.Name] = WorkflowPayloads.Keyword(report);
        }

        return attributes;
    }
}
