using EventProcessor.TestSupport;
using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// List and count with Temporal's list filter. Every test tags its runs with a unique EventId, so
/// queries only see that test's runs; results are polled, since visibility on a real server is
/// eventually consistent.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class VisibilityTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    internal static readonly IReadOnlyDictionary<string, IndexedValueType> ConformanceAttributes = new Dictionary<string, IndexedValueType>(StringComparer.Ordinal)
    {
        ["ConformanceText"] = IndexedValueType.Text,
        ["ConformanceInt"] = IndexedValueType.Int,
        ["ConformanceDatetime"] = IndexedValueType.Datetime,
        ["ConformanceBool"] = IndexedValueType.Bool,
        ["ConformanceKeywordList"] = IndexedValueType.KeywordList,
    };

    private static readonly SearchAttributeKey<string> s_tag = SearchAttributeKey.CreateKeyword("EventId");
    private static readonly SearchAttributeKey<string> s_eventType = SearchAttributeKey.CreateKeyword("EventType");
    private static readonly SearchAttributeKey<string> s_text = SearchAttributeKey.CreateText("ConformanceText");
    private static readonly SearchAttributeKey<long> s_int = SearchAttributeKey.CreateLong("ConformanceInt");
    private static readonly SearchAttributeKey<DateTimeOffset> s_datetime = SearchAttributeKey.CreateDateTimeOffset("ConformanceDatetime");
    private static readonly SearchAttributeKey<bool> s_bool = SearchAttributeKey.CreateBool("ConformanceBool");
    private static readonly SearchAttributeKey<IReadOnlyCollection<string>> s_keywordList = SearchAttributeKey.CreateKeywordList("ConformanceKeywordList");

    /// <summary>Four runs: alpha and beta completed, gamma running, delta failed, started and closed in that order.</summary>
    private sealed record Runs(string Tag, WorkflowExecutionDescription Alpha, WorkflowExecutionDescription Beta, WorkflowExecutionDescription Gamma, WorkflowExecutionDescription Delta);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_operator_and_field_filters_runs(bool cache)
    {
        await fixture.EnsureSearchAttributesAsync(ConformanceAttributes);
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var runs = await StartRunsAsync(queue);
            var t = runs.Tag;
            string Time(DateTime? at) => at!.Value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            var cases = new (string Filter, string[] Expected)[]
            {
                ($"WorkflowId = '{t}-alpha'", ["alpha"]),
                ($"WorkflowId != '{t}-alpha'", ["beta", "gamma", "delta"]),
                ($"WorkflowId IN ('{t}-alpha', \"{t}-gamma\")", ["alpha", "gamma"]),
                ($"WorkflowId STARTS_WITH \"{t}-b\"", ["beta"]),
                ($"WorkflowId > '{t}-b'", ["beta", "delta", "gamma"]),
                ($"WorkflowId <= '{t}-beta'", ["alpha", "beta"]),
                ($"WorkflowId >= '{t}-delta' AND WorkflowId < '{t}-gamma'", ["delta"]),
                ("WorkflowType = 'WaitingWorkflow'", ["gamma"]),
                ($"RunId = '{runs.Beta.RunId}'", ["beta"]),
                ("ExecutionStatus = 'Running'", ["gamma"]),
                ("ExecutionStatus = 'Failed'", ["delta"]),
                ("ExecutionStatus != 'Completed'", ["gamma", "delta"]),
                ($"StartTime <= '{Time(runs.Alpha.StartTime)}'", ["alpha"]),
                ($"StartTime > '{Time(runs.Alpha.StartTime)}'", ["beta", "gamma", "delta"]),
                ($"CloseTime BETWEEN '{Time(runs.Alpha.CloseTime)}' AND '{Time(runs.Beta.CloseTime)}'", ["alpha", "beta"]),
                ($"ExecutionTime < '{Time(runs.Gamma.StartTime)}'", ["alpha", "beta"]),
                ("EventType = 'comment.added'", ["gamma"]),
                ("EventType STARTS_WITH 'issue.'", ["alpha", "beta"]),
                ("ConformanceInt = 5", ["beta"]),
                ("ConformanceInt > 1", ["beta", "gamma"]),
                ("ConformanceInt <= 5", ["alpha", "beta"]),
                ("ConformanceInt < 5", ["alpha"]),
                ("ConformanceInt >= 5", ["beta", "gamma"]),
                ("ConformanceInt BETWEEN 2 AND 10", ["beta", "gamma"]),
                ("ConformanceInt IN (1, 10)", ["alpha", "gamma"]),
                ("ConformanceBool = true", ["alpha", "gamma"]),
                ("ConformanceBool = false", ["beta"]),
                ("ConformanceText = 'brown'", ["alpha", "gamma"]),
                ("ConformanceKeywordList = 'red'", ["alpha", "gamma"]),
                ("ConformanceKeywordList IN ('blue', 'green')", ["alpha", "beta"]),
                ("ConformanceDatetime < '2024-03-01T00:00:00Z'", ["alpha"]),
                ("ConformanceDatetime >= \"2024-06-01T00:00:00Z\"", ["beta", "gamma"]),
                ("ConformanceDatetime BETWEEN '2024-05-01T00:00:00Z' AND '2024-12-31T00:00:00Z'", ["beta"]),
                ("(ConformanceInt = 1 OR ConformanceInt = 10) AND ExecutionStatus = 'Completed'", ["alpha"]),
                ("ConformanceInt = 5 OR ConformanceInt = 10 AND ExecutionStatus = 'Completed'", ["beta"]),
                ("(ConformanceInt = 5 OR ConformanceInt = 10) AND ExecutionStatus = 'Completed'", ["beta"]),
                ("ConformanceInt = 5 OR (ConformanceInt = 10 AND ExecutionStatus = 'Running')", ["beta", "gamma"]),
            };
            foreach (var (filter, expected) in cases)
            {
                var query = $"EventId = '{t}' AND ({filter})";
                var want = expected.Select(name => $"{t}-{name}").Order(StringComparer.Ordinal).ToList();
                var got = await Eventually.ValueAsync(
                    async () => (await ListAsync(query)).Select(e => e.Execution.WorkflowId).Order(StringComparer.Ordinal).ToList(),
                    ids => ids.SequenceEqual(want),
                    s_wait,
                    $"[{filter}] to list {string.Join(",", want)}");
                Assert.Equal(want, got);
            }

            await runs.Gamma.Handle(fixture).TerminateAsync("test done");
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Lists_are_newest_first_and_counts_group_by_status(bool cache)
    {
        await fixture.EnsureSearchAttributesAsync(ConformanceAttributes);
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var runs = await StartRunsAsync(queue);
            var query = $"EventId = '{runs.Tag}'";
            // Open runs first, then closed runs by close time, newest first.
            var expectedOrder = new[] { "gamma", "delta", "beta", "alpha" }.Select(n => $"{runs.Tag}-{n}").ToList();
            var order = await Eventually.ValueAsync(
                async () => (await ListAsync(query)).Select(e => e.Execution.WorkflowId).ToList(),
                ids => ids.SequenceEqual(expectedOrder),
                s_wait,
                "all four runs listed newest first");
            Assert.Equal(expectedOrder, order);

            var listed = (await ListAsync(query)).Single(e => e.Execution.WorkflowId == $"{runs.Tag}-beta");
            Assert.Equal(WorkflowExecutionStatus.Completed, listed.Status);
            Assert.Equal("QuickWorkflow", listed.Type.Name);
            Assert.Equal(queue, listed.TaskQueue);
            Assert.NotNull(listed.CloseTime);
            Assert.True(listed.SearchAttributes.IndexedFields.ContainsKey("ConformanceInt"));

            var count = await fixture.Client.WorkflowService.CountWorkflowExecutionsAsync(new CountWorkflowExecutionsRequest { Namespace = fixture.Namespace, Query = query });
            Assert.Equal(4, count.Count);
            var expectedGroups = new Dictionary<string, long> { ["Completed"] = 2, ["Running"] = 1, ["Failed"] = 1 };
            var grouped = await Eventually.ValueAsync(
                () => fixture.Client.CountWorkflowsAsync($"{query} GROUP BY ExecutionStatus"),
                c => ByStatus(c).Count == 3 && expectedGroups.All(g => ByStatus(c).GetValueOrDefault(g.Key) == g.Value),
                s_wait,
                "the grouped count");
            Assert.Equal(4, grouped.Count);
            Assert.Equal(expectedGroups, ByStatus(grouped));

            var viaSdk = new List<string>();
            await foreach (var execution in fixture.Client.ListWorkflowsAsync($"{query} AND ExecutionStatus = 'Completed'"))
            {
                viaSdk.Add(execution.Id);
            }

            Assert.Equal(new[] { $"{runs.Tag}-beta", $"{runs.Tag}-alpha" }, viaSdk);
            await runs.Gamma.Handle(fixture).TerminateAsync("test done");
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pages_follow_the_page_size_and_token(bool cache)
    {
        var queue = TaskQueues.Unique();
        var tag = Guid.NewGuid().ToString();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                var id = $"{tag}-{i}";
                await fixture.Client.ExecuteWorkflowAsync(
                    (QuickWorkflow wf) => wf.RunAsync("x"),
                    new WorkflowOptions(id, queue) { TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(s_tag, tag).ToSearchAttributeCollection() });
                ids.Add(id);
            }

            var query = $"EventId = '{tag}'";
            await Eventually.Async(async () => (await ListAsync(query)).Count == 5, s_wait, "five runs listed");
            var pages = new List<List<string>>();
            var token = ByteString.Empty;
            do
            {
                var page = await fixture.Client.WorkflowService.ListWorkflowExecutionsAsync(new ListWorkflowExecutionsRequest
                {
                    Namespace = fixture.Namespace,
                    Query = query,
                    PageSize = 2,
                    NextPageToken = token,
                });
                pages.Add(page.Executions.Select(e => e.Execution.WorkflowId).ToList());
                token = page.NextPageToken;
            }
            while (!token.IsEmpty && pages.Count < 10);

            Assert.Equal(new[] { 2, 2, 1 }, pages.Select(p => p.Count));
            Assert.Equal(ids.AsEnumerable().Reverse(), pages.SelectMany(p => p));
        });
    }

    [Theory]
    [InlineData("NoSuchAttribute = 'x'", "NoSuchAttribute")]
    [InlineData("ConformanceInt = 'abc'", "ConformanceInt")]
    [InlineData("WorkflowId = unquoted", "unquoted")]
    [InlineData("ExecutionStatus = 'Sleeping'", "Sleeping")]
    [InlineData("ConformanceText STARTS_WITH 'x'", "starts_with")]
    [InlineData("ConformanceDatetime > 'yesterday'", "yesterday")]
    [InlineData("WorkflowId = 'a' AND", "syntax error")]
    [InlineData("(WorkflowId = 'a'", "syntax error")]
    [InlineData("WorkflowId == 'a'", "syntax error")]
    [InlineData("WorkflowId = 'a' LIMIT 5", "limit")]
    public async Task Invalid_queries_are_rejected_with_a_pointer_to_the_problem(string query, string pointer)
    {
        await fixture.EnsureSearchAttributesAsync(ConformanceAttributes);
        var list = await Assert.ThrowsAsync<RpcException>(() => ListAsync(query));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, list.Code);
        Assert.Contains(pointer, list.Message, StringComparison.OrdinalIgnoreCase);
        var count = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CountWorkflowsAsync(query));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, count.Code);
    }

    internal static Dictionary<string, long> ByStatus(WorkflowExecutionCount count) =>
        count.Groups.ToDictionary(g => (string)g.GroupValues.Single()!, g => g.Count);

    private async Task<List<Temporalio.Api.Workflow.V1.WorkflowExecutionInfo>> ListAsync(string query)
    {
        var response = await fixture.Client.WorkflowService.ListWorkflowExecutionsAsync(new ListWorkflowExecutionsRequest { Namespace = fixture.Namespace, Query = query });
        return [.. response.Executions];
    }

    private async Task<Runs> StartRunsAsync(string queue)
    {
        var tag = Guid.NewGuid().ToString();
        WorkflowOptions Options(string name, Action<SearchAttributeCollection.Builder> attributes)
        {
            var builder = new SearchAttributeCollection.Builder().Set(s_tag, tag);
            attributes(builder);
            return new WorkflowOptions($"{tag}-{name}", queue) { TypedSearchAttributes = builder.ToSearchAttributeCollection() };
        }

        var alpha = await fixture.Client.StartWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("a"), Options("alpha", b => b
            .Set(s_int, 1).Set(s_bool, true).Set(s_text, "quick brown fox").Set(s_keywordList, ["red", "green"])
            .Set(s_datetime, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)).Set(s_eventType, "issue.created")));
        await alpha.GetResultAsync<string>().WaitAsync(s_wait);
        var beta = await fixture.Client.StartWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("b"), Options("beta", b => b
            .Set(s_int, 5).Set(s_bool, false).Set(s_text, "lazy dog").Set(s_keywordList, ["blue"])
            .Set(s_datetime, new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero)).Set(s_eventType, "issue.updated")));
        await beta.GetResultAsync<string>().WaitAsync(s_wait);
        var gamma = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), Options("gamma", b => b
            .Set(s_int, 10).Set(s_bool, true).Set(s_text, "brown bear").Set(s_keywordList, ["red"])
            .Set(s_datetime, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).Set(s_eventType, "comment.added")));
        var delta = await fixture.Client.StartWorkflowAsync((FailingWorkflow wf) => wf.RunAsync(), Options("delta", _ => { }));
        await Assert.ThrowsAsync<WorkflowFailedException>(() => delta.GetResultAsync().WaitAsync(s_wait));
        return new Runs(tag, await alpha.DescribeAsync(), await beta.DescribeAsync(), await gamma.DescribeAsync(), await delta.DescribeAsync());
    }
}

internal static class DescriptionExtensions
{
    public static WorkflowHandle Handle(this WorkflowExecutionDescription description, TemporalServerFixture fixture) =>
        fixture.Client.GetWorkflowHandle(description.Id, description.RunId);
}
