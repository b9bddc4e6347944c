using System.Globalization;
using System.Text;
using EventProcessor.EmbeddedTemporal.Frontend;
using EventProcessor.EmbeddedTemporal.State;
using EventProcessor.EmbeddedTemporal.Visibility.Query;
using Google.Protobuf;
using Payload = Temporalio.Api.Common.V1.Payload;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Visibility;

/// <summary>
/// ListWorkflowExecutions and CountWorkflowExecutions over a namespace's runs (every run, open or
/// closed, is one visibility record). Call under the namespace lock.
/// </summary>
internal static class VisibilityQueries
{
    /// <summary>A real frontend's default and maximum page size (frontend.visibilityMaxPageSize).</summary>
    public const int MaxPageSize = 1000;

    public static ListWorkflowExecutionsResponse List(TemporalNamespace ns, string? query, int pageSize, ByteString pageToken)
    {
        var compiled = Compile(ns, query);
        if (compiled.GroupBy is not null)
        {
            throw RpcErrors.InvalidArgument("invalid query: operation is not supported: 'GROUP BY' clause is only supported in CountWorkflowExecutions");
        }

        pageSize = pageSize <= 0 || pageSize > MaxPageSize ? MaxPageSize : pageSize;
        var matches = ns.AllRuns.Where(compiled.Filter).ToList();
        var response = new ListWorkflowExecutionsResponse();
        // Newest first as a real server sorts: open runs, then by close time, start time and run id, all descending.
        matches.Sort(static (a, b) => DefaultKey.Of(b).CompareTo(DefaultKey.Of(a)));
        var after = ParseKeyToken(pageToken);
        var rest = after is { } key ? matches.Where(r => DefaultKey.Of(r).CompareTo(key) < 0) : matches;
        var list = rest.Take(pageSize + 1).ToList();
        var page = list.Take(pageSize);
        if (list.Count > pageSize)
        {
            response.NextPageToken = ByteString.CopyFromUtf8("k:" + DefaultKey.Of(list[pageSize - 1]));
        }

        foreach (var run in page)
        {
            response.Executions.Add(Info(run));
        }

        return response;
    }

    public static CountWorkflowExecutionsResponse Count(TemporalNamespace ns, string? query)
    {
        var compiled = Compile(ns, query);
        var matches = ns.AllRuns.Where(compiled.Filter).ToList();
        var response = new CountWorkflowExecutionsResponse { Count = matches.Count };
        if (compiled.GroupBy is not null)
        {
            foreach (var group in matches.GroupBy(r => FieldValues.StatusName(r.Status)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                var aggregation = new CountWorkflowExecutionsResponse.Types.AggregationGroup { Count = group.Count() };
                aggregation.GroupValues.Add(new Payload
                {
                    Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain"), ["type"] = ByteString.CopyFromUtf8("Keyword") },
                    Data = ByteString.CopyFromUtf8($"\"{group.Key}\""),
                });
                response.Groups.Add(aggregation);
            }
        }

        return response;
    }

    /// <summary>The visibility record of a run, as list answers carry it.</summary>
    public static WorkflowExecutionInfo Info(WorkflowExecution run)
    {
        var info = new WorkflowExecutionInfo
        {
            Execution = run.Execution,
            Type = run.Start.WorkflowType,
            StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(run.StartTime),
            ExecutionTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(run.ExecutionTime),
            Status = run.Status,
            HistoryLength = run.History.LastEventId,
            Memo = run.Memo.Clone(),
            SearchAttributes = WorkflowExecution.ToProto(run.SearchAttributes),
            TaskQueue = run.Start.TaskQueue,
            StateTransitionCount = run.History.LastEventId,
            FirstRunId = run.FirstExecutionRunId,
            RootExecution = run.Start.Parent?.RootExecution ?? run.Execution,
        };
        if (run.Start.Parent is { } parent)
        {
            info.ParentExecution = parent.Execution;
            info.ParentNamespaceId = parent.NamespaceId;
        }
        if (run.CloseTime is { } closed)
        {
            info.CloseTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(closed);
            info.ExecutionDuration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(closed - run.ExecutionTime);
        }

        return info;
    }

    private static CompiledQuery Compile(TemporalNamespace ns, string? query)
    {
        try
        {
            return QueryCompiler.Compile(query, ns.SearchAttributes);
        }
        catch (InvalidQueryException ex)
        {
            throw RpcErrors.InvalidArgument(ex.Message);
        }
    }

    private static DefaultKey? ParseKeyToken(ByteString token)
    {
        if (token.IsEmpty)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(token.Span);
        var parts = text.Split(':');
        if (parts.Length != 4 || parts[0] != "k"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var close)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            throw RpcErrors.InvalidArgument("Invalid NextPageToken.");
        }

        return new DefaultKey(close, start, parts[3]);
    }

    /// <summary>The default sort key; open runs sort as if closing at the end of time.</summary>
    private readonly record struct DefaultKey(long CloseTicks, long StartTicks, string RunId) : IComparable<DefaultKey>
    {
        public static DefaultKey Of(WorkflowExecution run) =>
            new((run.CloseTime ?? DateTimeOffset.MaxValue).UtcTicks, run.StartTime.UtcTicks, run.RunId);

        public int CompareTo(DefaultKey other)
        {
            var c = CloseTicks.CompareTo(other.CloseTicks);
            if (c == 0)
            {
                c = StartTicks.CompareTo(other.StartTicks);
            }

            return c != 0 ? c : string.CompareOrdinal(RunId, other.RunId);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CloseTicks}:{StartTicks}:{RunId}");
    }
}
