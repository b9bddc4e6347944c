using EventProcessor.TestSupport;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// What a real Temporal server accepts in list filters and in search attributes given at start.
/// Each test names the server function the behaviour comes from (temporalio/temporal).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class VisibilityConformanceTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private static readonly SearchAttributeKey<string> s_tag = SearchAttributeKey.CreateKeyword("EventId");

    // Real server: parseExecutionStatusValue (common/persistence/visibility/store/query/converter.go)
    // takes a string only if the API's WorkflowExecutionStatusFromString knows it, which is
    // case-sensitive: the short name ('Running') or the enum's full name
    // ('WORKFLOW_EXECUTION_STATUS_RUNNING'); a number must be a defined status.
    [Theory]
    [InlineData("'Running'")]
    [InlineData("1")]
    public async Task ExecutionStatus_takes_the_exact_name_or_the_number(string literal)
    {
        var queue = TaskQueues.Unique();
        var tag = Guid.NewGuid().ToString();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (WaitingWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"status-{tag}", queue) { TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(s_tag, tag).ToSearchAttributeCollection() });

            var listed = await Eventually.ValueAsync(
                () => ListAsync($"EventId = '{tag}' AND ExecutionStatus = {literal}"),
                ids => ids.Count > 0,
                s_wait,
                "the running run listed");

            Assert.Equal([handle.Id], listed);
            await handle.TerminateAsync("test done");
        });
    }

    [Fact]
    public async Task ExecutionStatus_takes_the_enums_full_name()
    {
        var listed = await ListAsync($"WorkflowId = '{Guid.NewGuid()}' AND ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_RUNNING'");

        Assert.Empty(listed);
    }

    [Theory]
    [InlineData("ExecutionStatus = 'running'", "running")]
    [InlineData("ExecutionStatus = 'RUNNING'", "RUNNING")]
    [InlineData("ExecutionStatus = 'workflow_execution_status_running'", "workflow_execution_status_running")]
    [InlineData("ExecutionStatus IN ('Completed', 'failed')", "failed")]
    [InlineData("ExecutionStatus = 99", "99")]
    public async Task ExecutionStatus_refuses_other_spellings(string filter, string pointer)
    {
        await AssertRefusedAsync($"WorkflowId = 'x' AND {filter}", pointer);
    }

    // Real server: validateValueType (converter.go) parses a Datetime string with Go's
    // time.RFC3339Nano layout, which needs the 'T' and an offset or 'Z'; an integer is taken as
    // nanoseconds since the epoch.
    [Theory]
    [InlineData("StartTime > '2024-01-01T00:00:00Z'")]
    [InlineData("StartTime > '2024-01-01T00:00:00.123456789Z'")]
    [InlineData("StartTime > '2024-01-01T02:00:00+02:00'")]
    [InlineData("StartTime > 1704067200000000000")]
    [InlineData("CloseTime BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-02T00:00:00-05:00'")]
    public async Task Datetimes_with_an_offset_or_in_nanoseconds_are_accepted(string filter)
    {
        var listed = await ListAsync($"WorkflowId = '{Guid.NewGuid()}' AND {filter}");

        Assert.Empty(listed);
    }

    [Theory]
    [InlineData("StartTime > '2024-01-01'", "2024-01-01")]
    [InlineData("StartTime > '2024-01-01T00:00:00'", "2024-01-01T00:00:00")]
    [InlineData("StartTime > '2024-01-01 00:00:00Z'", "2024-01-01 00:00:00Z")]
    [InlineData("CloseTime < '2024-01-01T00:00:00+0200'", "2024-01-01T00:00:00+0200")]
    public async Task Datetimes_without_an_offset_are_refused(string filter, string pointer)
    {
        await AssertRefusedAsync($"WorkflowId = 'x' AND {filter}", pointer);
    }

    // Real server: convertSelectStmt (converter.go) keeps ORDER BY only for Elasticsearch
    // visibility, for backwards compatibility; the SQL visibility stores (PostgreSQL, MySQL,
    // SQLite: the dev server) refuse the clause. Runs are listed newest first without it.
    [Theory]
    [InlineData("WorkflowId = 'x' ORDER BY StartTime DESC")]
    [InlineData("ORDER BY CloseTime")]
    public async Task ORDER_BY_is_refused(string query)
    {
        await AssertRefusedAsync(query, "order by");
    }

    // Real server: Validator.Validate (common/searchattribute/validator.go) decodes each value as
    // the type registered for the name; the "type" metadata a payload carries is not consulted, so
    // a wrong one is no reason to refuse the start.
    [Fact]
    public async Task The_registered_type_wins_over_the_payloads_type_metadata()
    {
        var tag = $"metadata-{Guid.NewGuid()}";
        var payload = KeywordPayload(tag);
        payload.Metadata["type"] = ByteString.CopyFromUtf8("Int");

        var runId = await StartAsync(payload, tag);

        var handle = fixture.Client.GetWorkflowHandle($"sa-{tag}", runId);
        var stored = (await fixture.DescribeRawAsync(handle)).WorkflowExecutionInfo.SearchAttributes.IndexedFields["EventId"];
        Assert.Equal(payload.Data, stored.Data);
        await handle.TerminateAsync("test done");
    }

    // Real server: Validator.ValidateSize (validator.go) with SearchAttributesSizeOfValueLimit,
    // 2 KB of data per value by default (common/dynamicconfig/constants.go).
    [Fact]
    public async Task A_value_of_more_than_2_KB_is_refused()
    {
        var atLimit = KeywordPayload(new string('a', 2048 - 2));
        Assert.Equal(2048, atLimit.Data.Length);
        var name = $"at-limit-{Guid.NewGuid()}";
        var runId = await StartAsync(atLimit, name);
        await fixture.Client.GetWorkflowHandle($"sa-{name}", runId).TerminateAsync("test done");

        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(KeywordPayload(new string('a', 2048 - 1)), $"over-limit-{Guid.NewGuid()}"));

        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("EventId", ex.Message, StringComparison.Ordinal);
    }

    // Real server: ValidateSize with SearchAttributesTotalSizeLimit, 40 KB by default for the
    // encoded attributes of a request (constants.go); the encoded size counts payload metadata too.
    [Fact]
    public async Task Attributes_of_more_than_40_KB_in_total_are_refused()
    {
        var payload = KeywordPayload("small");
        payload.Metadata["padding"] = ByteString.CopyFromUtf8(new string('p', 41 * 1024));

        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(payload, $"total-{Guid.NewGuid()}"));

        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("size", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    // Real server: Validator.Validate refuses more keys than SearchAttributesNumberOfKeysLimit,
    // 100 by default (constants.go), before looking at the names.
    [Fact]
    public async Task More_than_100_attributes_are_refused()
    {
        var attributes = new SearchAttributes();
        for (var i = 0; i < 101; i++)
        {
            attributes.IndexedFields[$"ConformanceKey{i}"] = KeywordPayload("x");
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(attributes, $"too-many-{Guid.NewGuid()}"));

        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("101", ex.Message, StringComparison.Ordinal);
    }

    private static Payload KeywordPayload(string value) => new()
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFromUtf8(System.Text.Json.JsonSerializer.Serialize(value)),
    };

    private Task<string> StartAsync(Payload eventId, string name) =>
        StartAsync(new SearchAttributes { IndexedFields = { ["EventId"] = eventId } }, name);

    /// <summary>Starts a run nobody works on (its queue has no worker): only the start's validation matters.</summary>
    private async Task<string> StartAsync(SearchAttributes attributes, string name)
    {
        var response = await fixture.Client.WorkflowService.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowId = $"sa-{name}",
            WorkflowType = new WorkflowType { Name = nameof(WaitingWorkflow) },
            TaskQueue = new TaskQueue { Name = TaskQueues.Unique("nobody") },
            RequestId = Guid.NewGuid().ToString(),
            SearchAttributes = attributes,
            WorkflowIdConflictPolicy = Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.TerminateExisting,
            Input = new Payloads(),
            Header = new Header(),
            Memo = new Memo(),
            Identity = "conformance",
        });
        return response.RunId;
    }

    private async Task AssertRefusedAsync(string query, string pointer)
    {
        var list = await Assert.ThrowsAsync<RpcException>(() => ListAsync(query));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, list.Code);
        Assert.Contains(pointer, list.Message, StringComparison.OrdinalIgnoreCase);
        var count = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CountWorkflowsAsync(query));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, count.Code);
    }

    private async Task<List<string>> ListAsync(string query)
    {
        var response = await fixture.Client.WorkflowService.ListWorkflowExecutionsAsync(new ListWorkflowExecutionsRequest { Namespace = fixture.Namespace, Query = query });
        return response.Executions.Select(e => e.Execution.WorkflowId).ToList();
    }
}
