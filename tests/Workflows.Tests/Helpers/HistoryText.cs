using Google.Protobuf;
using Google.Protobuf.Reflection;
using Temporalio.Api.Common.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.Workflows.Tests.Helpers;

/// <summary>
/// Everything readable in a history event: its string fields and the decoded data of every payload
/// it carries (inputs, results, failures, summaries), so a test can tell where a value was recorded.
/// </summary>
public static class HistoryText
{
    public static string Of(HistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        var text = new System.Text.StringBuilder();
        Collect(historyEvent, text);
        return text.ToString();
    }

    private static void Collect(IMessage message, System.Text.StringBuilder text)
    {
        if (message is Payload payload)
        {
            text.Append(payload.Data.ToStringUtf8()).Append('\n');
            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case null:
                    break;
                case string s:
                    text.Append(s).Append('\n');
                    break;
                case IMessage nested:
                    Collect(nested, text);
                    break;
                case System.Collections.IDictionary map:
                    foreach (System.Collections.DictionaryEntry entry in map)
                    {
                        text.Append(entry.Key).Append('\n');
                        if (entry.Value is IMessage m)
                        {
                            Collect(m, text);
                        }
                        else
                        {
                            text.Append(entry.Value).Append('\n');
                        }
                    }

                    break;
                case System.Collections.IList list when field.FieldType == FieldType.Message:
                    foreach (var item in list)
                    {
                        Collect((IMessage)item, text);
                    }

                    break;
                case System.Collections.IList list:
                    foreach (var item in list)
                    {
                        text.Append(item).Append('\n');
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
