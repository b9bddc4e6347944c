using System.Globalization;
using EventProcessor.Events.Validation;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Converters;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// Builds the StartWorkflowExecution request for an event the way the SDK's StartWorkflowAsync
/// does. The trigger sends it itself because only the raw response says whether the run was
/// started by this call or already existed (a duplicate delivery), and that costs no extra call.
/// </summary>
internal static class StartRequestFactory
{
    /// <summary>Memo keys: the envelope facts a person needs without opening the input.</summary>
    public const string MemoEventId = "eventId";
    public const string MemoEventSource = "eventSource";
    public const string MemoEventTime = "eventTime";
    public const string MemoDetailType = "detailType";

    public static async Task<StartWorkflowExecutionRequest> CreateAsync(ParsedEvent parsed, ITemporalClient client, string taskQueue)
    {
        var ns = client.Options.Namespace;
        var converter = client.Options.DataConverter.WithSerializationContext(new ISerializationContext.Workflow(ns, parsed.WorkflowId));
        var envelope = parsed.Envelope;

        var request = new StartWorkflowExecutionRequest
        {
            Namespace = ns,
            WorkflowId = parsed.WorkflowId,
            WorkflowType = new WorkflowType { Name = parsed.WorkflowType },
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = taskQueue },
            Identity = client.Connection.Options.Identity ?? $"{Environment.ProcessId}@{Environment.MachineName}",
            RequestId = Guid.NewGuid().ToString(),

            // Running duplicate: attach to it. Closed duplicate (inside retention): refuse.
            WorkflowIdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
            WorkflowIdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            SearchAttributes = parsed.SearchAttributes.ToProto(),
            UserMetadata = new UserMetadata
            {
                Summary = await converter.ToPayloadAsync(parsed.Summary).ConfigureAwait(false),
                Details = await converter.ToPayloadAsync(parsed.Details).ConfigureAwait(false),
            },
            Input = new Payloads(),
            Memo = new Memo(),
        };
        request.Input.Payloads_.Add(await converter.ToPayloadAsync(parsed.CreateWorkflowInput()).ConfigureAwait(false));
        request.Memo.Fields.Add(MemoEventId, await converter.ToPayloadAsync(envelope.Id).ConfigureAwait(false));
        request.Memo.Fields.Add(MemoEventSource, await converter.ToPayloadAsync(envelope.Source).ConfigureAwait(false));
        request.Memo.Fields.Add(MemoEventTime, await converter.ToPayloadAsync(envelope.Time.ToString("O", CultureInfo.InvariantCulture)).ConfigureAwait(false));
        request.Memo.Fields.Add(MemoDetailType, await converter.ToPayloadAsync(envelope.DetailType).ConfigureAwait(false));
        return request;
    }
}
