using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EventProcessor.EmbeddedTemporal.State;
using Payload = Temporalio.Api.Common.V1.Payload;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

/// <summary>
/// Reads a run's visibility fields as typed values: string (Keyword, Text), a string list
/// (KeywordList), long (Int), double (Double), bool (Bool) or DateTimeOffset (Datetime); null when unset.
/// </summary>
internal static class FieldValues
{
    // Search attribute payloads never change once stored, so each is decoded at most once.
    private static readonly ConditionalWeakTable<Payload, object> s_decoded = [];
    private static readonly object s_null = new();

    public static Func<WorkflowExecution, object?> Accessor(string field, IndexedValueType type) => field switch
    {
        "WorkflowId" => run => run.WorkflowId,
        "RunId" => run => run.RunId,
        "WorkflowType" => run => run.Start.WorkflowType.Name,
        "TaskQueue" => run => run.Start.TaskQueue,
        "ExecutionStatus" => run => StatusName(run.Status),
        "StartTime" => run => run.StartTime,
        "ExecutionTime" => run => run.ExecutionTime,
        "CloseTime" => run => run.CloseTime,
        "ExecutionDuration" => run => run.CloseTime is { } closed ? (closed - run.ExecutionTime).Ticks * 100 : null,
        "HistoryLength" or "StateTransitionCount" => run => run.History.LastEventId,
        "ParentWorkflowId" => run => run.Start.Parent?.Execution.WorkflowId,
        "ParentRunId" => run => run.Start.Parent?.Execution.RunId,
        "RootWorkflowId" => run => run.Start.Parent?.RootExecution.WorkflowId ?? run.WorkflowId,
        "RootRunId" => run => run.Start.Parent?.RootExecution.RunId ?? run.RunId,
        _ => run => run.SearchAttributes.TryGetValue(field, out var payload) ? Decode(payload, type) : null,
    };

    public static string StatusName(WorkflowExecutionStatus status) => status switch
    {
        WorkflowExecutionStatus.Running => "Running",
        WorkflowExecutionStatus.Completed => "Completed",
        WorkflowExecutionStatus.Failed => "Failed",
        WorkflowExecutionStatus.Canceled => "Canceled",
        WorkflowExecutionStatus.Terminated => "Terminated",
        WorkflowExecutionStatus.ContinuedAsNew => "ContinuedAsNew",
        WorkflowExecutionStatus.TimedOut => "TimedOut",
        _ => "Unspecified",
    };

    public static object? Decode(Payload payload, IndexedValueType type)
    {
        var decoded = s_decoded.GetValue(payload, p => DecodeUncached(p, type) ?? s_null);
        return ReferenceEquals(decoded, s_null) ? null : decoded;
    }

    private static object? DecodeUncached(Payload payload, IndexedValueType type)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload.Data.Memory);
            var root = doc.RootElement;
            if (type == IndexedValueType.KeywordList)
            {
                return root.ValueKind == JsonValueKind.Array
                    ? root.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
                    : new List<string> { root.GetString() ?? string.Empty };
            }

            // A scalar attribute may still be stored as a one-element array by some SDKs.
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (root.GetArrayLength() == 0)
                {
                    return null;
                }

                root = root[0];
            }

            return type switch
            {
                IndexedValueType.Keyword or IndexedValueType.Text => root.GetString(),
                IndexedValueType.Int => root.GetInt64(),
                IndexedValueType.Double => root.GetDouble(),
                IndexedValueType.Bool => root.GetBoolean(),
                IndexedValueType.Datetime => DateTimeOffset.Parse(root.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
