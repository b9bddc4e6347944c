using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class SearchAttributeTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private static readonly SearchAttributeKey<string> s_eventType = SearchAttributeKey.CreateKeyword("EventType");
    private static readonly SearchAttributeKey<string> s_ticketKey = SearchAttributeKey.CreateKeyword("TicketKey");

    [Fact]
    public async Task The_product_attributes_are_registered_and_adding_them_again_is_harmless()
    {
        await fixture.EnsureSearchAttributesAsync(TemporalServerFixture.ProductSearchAttributes);
        var listed = await fixture.Client.Connection.OperatorService.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = fixture.Namespace });
        foreach (var (name, type) in TemporalServerFixture.ProductSearchAttributes)
        {
            Assert.Equal(type, listed.CustomAttributes[name]);
        }

        Assert.Contains("WorkflowType", listed.SystemAttributes.Keys);
    }

    [Fact]
    public async Task Starting_with_an_unregistered_attribute_is_rejected()
    {
        var options = new WorkflowOptions($"sa-unknown-{Guid.NewGuid()}", TaskQueues.Unique())
        {
            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                .Set(SearchAttributeKey.CreateKeyword($"NotRegistered{Guid.NewGuid():N}"), "x").ToSearchAttributeCollection(),
        };
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
    }

    [Fact]
    public async Task Starting_with_a_value_of_the_wrong_type_is_rejected()
    {
        var options = new WorkflowOptions($"sa-wrong-type-{Guid.NewGuid()}", TaskQueues.Unique())
        {
            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                .Set(SearchAttributeKey.CreateLong("EventType"), 42).ToSearchAttributeCollection(),
        };
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upserted_attributes_show_in_describe(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (WaitingWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"sa-upsert-{Guid.NewGuid()}", queue)
                {
                    TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(s_eventType, "issue.created").ToSearchAttributeCollection(),
                });
            await handle.SignalAsync(wf => wf.UpsertKeywordAsync("TicketKey", "PROJ-7"));
            var description = await Eventually.ValueAsync(
                () => handle.DescribeAsync(),
                d => d.TypedSearchAttributes.ContainsKey(s_ticketKey),
                s_wait,
                "the upserted attribute");
            Assert.Equal("PROJ-7", description.TypedSearchAttributes.Get(s_ticketKey));
            Assert.Equal("issue.created", description.TypedSearchAttributes.Get(s_eventType));
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Single(events, e => e.EventType == EventType.UpsertWorkflowSearchAttributes
                && e.UpsertWorkflowSearchAttributesEventAttributes.SearchAttributes.IndexedFields.ContainsKey("TicketKey"));
            await handle.TerminateAsync("test done");
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upserting_an_unregistered_attribute_fails_the_workflow_task(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (WaitingWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"sa-upsert-unknown-{Guid.NewGuid()}", queue));
            await handle.SignalAsync(wf => wf.UpsertKeywordAsync($"NotRegistered{Guid.NewGuid():N}", "x"));
            await Eventually.Async(
                async () => (await handle.FetchHistoryAsync()).Events.Any(e =>
                    e.EventType == EventType.WorkflowTaskFailed
                    && e.WorkflowTaskFailedEventAttributes.Cause == WorkflowTaskFailedCause.BadSearchAttributes),
                s_wait,
                "a workflow task failed for bad search attributes");
            Assert.DoesNotContain((await handle.DescribeAsync()).TypedSearchAttributes.UntypedValues.Keys, k => k.Name.StartsWith("NotRegistered", StringComparison.Ordinal));
            await handle.TerminateAsync("test done");
        });
    }
}
