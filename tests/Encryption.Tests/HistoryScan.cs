using System.Collections;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.Encryption.Tests;

/// <summary>
/// Everything of a raw history a reader of Temporal's database or UI would see: every payload the
/// SDK runs through the codec, every search-attribute payload (which the server indexes, so never
/// encoded), and every failure.
/// </summary>
internal sealed record HistoryScan(IReadOnlyList<Payload> CodecPayloads, IReadOnlyList<Payload> SearchAttributePayloads, IReadOnlyList<Failure> Failures)
{
    /// <summary>The history exactly as the server stores it, read over gRPC page by page with no data converter involved.</summary>
    public static async Task<History> RawHistoryAsync(ITemporalClient client, string ns, string workflowId)
    {
        var history = new History();
        var page = ByteString.Empty;
        do
        {
            var response = await client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
            {
                Namespace = ns,
                Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = workflowId },
                NextPageToken = page,
            });
            history.Events.AddRange(response.History.Events);
            page = response.NextPageToken;
        }
        while (!page.IsEmpty);

        return history;
    }

    public static HistoryScan Of(IMessage root)
    {
        var codec = new List<Payload>();
        var search = new List<Payload>();
        var failures = new List<Failure>();
        Walk(root, inSearchAttributes: false);
        return new HistoryScan(codec, search, failures);

        void Walk(IMessage message, bool inSearchAttributes)
        {
            switch (message)
            {
                case Payload payload:
                    (inSearchAttributes ? search : codec).Add(payload);
                    return;
                case SearchAttributes:
                    inSearchAttributes = true;
                    break;
                case Failure failure:
                    failures.Add(failure);
                    break;
                default:
                    break;
            }

            foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
            {
                var value = field.Accessor.GetValue(message);
                if (field.IsMap)
                {
                    foreach (DictionaryEntry entry in (IDictionary)value)
                    {
                        if (entry.Value is IMessage child)
                        {
                            Walk(child, inSearchAttributes);
                        }
                    }
                }
                else if (field.IsRepeated)
                {
                    foreach (var item in (IList)value)
                    {
                        if (item is IMessage child)
                        {
                            Walk(child, inSearchAttributes);
                        }
                    }
                }
                else if (value is IMessage child)
                {
                    Walk(child, inSearchAttributes);
                }
            }
        }
    }

    /// <summary>The strings of <paramref name="needles"/> found anywhere in the message's wire bytes (strings and bytes fields are stored verbatim).</summary>
    public static IReadOnlyList<string> FoundIn(IMessage message, IEnumerable<string> needles)
    {
        var bytes = message.ToByteArray();
        return needles.Where(n => bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(n)) >= 0).ToList();
    }
}
