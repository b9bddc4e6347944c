using EventProcessor.Testing;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using WorkflowExecution = Temporalio.Api.Common.V1.WorkflowExecution;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>Raw RPC behaviour: history paging, and the gRPC errors malformed requests get.</summary>
[Collection(TemporalCollection.Name)]
public sealed class ProtocolTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static async Task<RpcException.StatusCode> CodeOf(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)).Code;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task History_pages_concatenate_to_the_whole_history(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (SignalQueryWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"paging-{Guid.NewGuid()}", queue));
            foreach (var item in new[] { "a", "b", "c", "done" })
            {
                await handle.SignalAsync(wf => wf.AddAsync(item));
            }

            await handle.GetResultAsync<string>().WaitAsync(s_wait);
            var whole = await HistoryAssert.WellFormedAsync(handle);

            var paged = new List<Temporalio.Api.History.V1.HistoryEvent>();
            var token = ByteString.Empty;
            var pages = 0;
            do
            {
                var page = await fixture.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
                {
                    Namespace = fixture.Namespace,
                    Execution = new WorkflowExecution { WorkflowId = handle.Id },
                    MaximumPageSize = 2,
                    NextPageToken = token,
                });
                Assert.True(page.History.Events.Count <= 2);
                paged.AddRange(page.History.Events);
                token = page.NextPageToken;
                pages++;
            }
            while (!token.IsEmpty && pages < 1000);

            Assert.True(pages >= whole.Count / 2);
            Assert.Equal(whole.Select(e => e.EventId), paged.Select(e => e.EventId));
            Assert.Equal(whole.Select(e => e.EventType), paged.Select(e => e.EventType));

            var closeOnly = await fixture.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
            {
                Namespace = fixture.Namespace,
                Execution = new WorkflowExecution { WorkflowId = handle.Id },
                HistoryEventFilterType = HistoryEventFilterType.CloseEvent,
            });
            Assert.Equal(EventType.WorkflowExecutionCompleted, Assert.Single(closeOnly.History.Events).EventType);
        });
    }

    [Fact]
    public async Task A_request_without_namespace_is_invalid()
    {
        Assert.Equal(RpcException.StatusCode.InvalidArgument, await CodeOf(() => fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(
            new DescribeWorkflowExecutionRequest { Execution = new WorkflowExecution { WorkflowId = "x" } })));
    }

    [Fact]
    public async Task An_unknown_namespace_is_not_found()
    {
        Assert.Equal(RpcException.StatusCode.NotFound, await CodeOf(() => fixture.Client.WorkflowService.DescribeNamespaceAsync(
            new DescribeNamespaceRequest { Namespace = $"no-such-namespace-{Guid.NewGuid():N}" })));
    }

    [Fact]
    public async Task A_start_without_workflow_type_is_invalid()
    {
        Assert.Equal(RpcException.StatusCode.InvalidArgument, await CodeOf(() => fixture.Client.WorkflowService.StartWorkflowExecutionAsync(
            new StartWorkflowExecutionRequest
            {
                Namespace = fixture.Namespace,
                WorkflowId = $"no-type-{Guid.NewGuid()}",
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueues.Unique() },
                RequestId = Guid.NewGuid().ToString(),
            })));
    }

    [Fact]
    public async Task A_start_without_task_queue_is_invalid()
    {
        Assert.Equal(RpcException.StatusCode.InvalidArgument, await CodeOf(() => fixture.Client.WorkflowService.StartWorkflowExecutionAsync(
            new StartWorkflowExecutionRequest
            {
                Namespace = fixture.Namespace,
                WorkflowId = $"no-queue-{Guid.NewGuid()}",
                WorkflowType = new WorkflowType { Name = "Anything" },
                RequestId = Guid.NewGuid().ToString(),
            })));
    }

    [Fact]
    public async Task An_unreadable_task_token_is_invalid()
    {
        Assert.Equal(RpcException.StatusCode.InvalidArgument, await CodeOf(() => fixture.Client.WorkflowService.RespondActivityTaskCompletedAsync(
            new RespondActivityTaskCompletedRequest { Namespace = fixture.Namespace, TaskToken = ByteString.CopyFromUtf8("not a task token") })));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, await CodeOf(() => fixture.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(
            new RespondWorkflowTaskCompletedRequest { Namespace = fixture.Namespace })));
    }

    [Fact]
    public async Task An_unknown_workflow_is_not_found()
    {
        var handle = fixture.Client.GetWorkflowHandle($"never-started-{Guid.NewGuid()}");
        Assert.Equal(RpcException.StatusCode.NotFound, await CodeOf(() => handle.DescribeAsync()));
        Assert.Equal(RpcException.StatusCode.NotFound, await CodeOf(() => handle.SignalAsync("anything", [])));
        Assert.Equal(RpcException.StatusCode.NotFound, await CodeOf(() => handle.TerminateAsync("nothing to terminate")));
    }

    [Fact]
    public async Task An_unimplemented_method_answers_unimplemented()
    {
        // Only the embedded server leaves methods out; a real server implements them all.
        if (!fixture.IsEmbedded)
        {
            return;
        }

        Assert.Equal(RpcException.StatusCode.Unimplemented, await CodeOf(() => fixture.Client.WorkflowService.ListBatchOperationsAsync(
            new ListBatchOperationsRequest { Namespace = fixture.Namespace })));
    }
}
