using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>The embedded server's own library API (options, long-poll bound, disposal); not conformance tests.</summary>
public sealed class EmbeddedServerTests
{
    [Fact]
    public async Task Options_create_namespaces_and_search_attributes_and_idle_polls_answer_empty()
    {
        var options = new EmbeddedTemporalOptions { LongPollTimeout = TimeSpan.FromMilliseconds(300) };
        options.Namespaces.Add("extra");
        options.SearchAttributes["CustomerId"] = IndexedValueType.Keyword;
        await using var server = await EmbeddedTemporalServer.StartAsync(options);
        Assert.StartsWith("127.0.0.1:", server.Address, StringComparison.Ordinal);

        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Address) { Namespace = "extra" });
        await client.WorkflowService.DescribeNamespaceAsync(new DescribeNamespaceRequest { Namespace = "default" });
        var listed = await client.Connection.OperatorService.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = "extra" });
        Assert.Equal(IndexedValueType.Keyword, listed.CustomAttributes["CustomerId"]);

        var started = DateTimeOffset.UtcNow;
        var poll = await client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = "extra",
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueues.Unique() },
        });
        Assert.True(poll.TaskToken.IsEmpty);
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Disposing_answers_pending_long_polls_instead_of_waiting_for_them()
    {
        // Idle polls would otherwise be held for ten minutes: a dispose that waited for them would hang past the guard below.
        var server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions { LongPollTimeout = TimeSpan.FromMinutes(10) });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Address));
        var poll = client.WorkflowService.PollActivityTaskQueueAsync(new PollActivityTaskQueueRequest
        {
            Namespace = "default",
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueues.Unique() },
        });
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));
        try
        {
            Assert.True((await poll.WaitAsync(TimeSpan.FromMinutes(2))).TaskToken.IsEmpty);
        }
        catch (Temporalio.Exceptions.RpcException)
        {
            // The connection may close before the empty answer is read: also fine, it did not hang.
        }
    }
}
