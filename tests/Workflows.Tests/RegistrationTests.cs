using EventProcessor.Events.Catalog;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Tickets;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tests;

/// <summary>The worker registers exactly the catalog: one workflow per entry, by the catalog's workflow type name and input.</summary>
public class RegistrationTests
{
    private static readonly IReadOnlyList<WorkflowDefinition> Registered = [.. EventWorkflows.Types.Select(WorkflowDefinition.Create)];

    [Fact]
    public void Every_catalog_entry_has_a_registered_workflow_of_its_type_name_taking_its_input()
    {
        Assert.Equal(29, EventCatalog.All.Count);
        foreach (var entry in EventCatalog.All)
        {
            var workflow = Registered.SingleOrDefault(w => w.Name == entry.WorkflowType);
            Assert.True(workflow is not null, $"No registered workflow is named {entry.WorkflowType} ({entry.DetailType}).");
            var parameter = Assert.Single(workflow.RunMethod.GetParameters());
            Assert.Equal(entry.InputType, parameter.ParameterType);
        }
    }

    [Fact]
    public void Every_registered_workflow_has_a_catalog_entry_and_none_is_registered_twice()
    {
        foreach (var workflow in Registered)
        {
            Assert.True(EventCatalog.TryGetByWorkflowType(workflow.Name!, out _), $"Workflow {workflow.Name} ({workflow.Type}) has no catalog entry.");
        }

        Assert.Equal(Registered.Count, Registered.Select(w => w.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(EventCatalog.All.Count, Registered.Count);
    }

    [Fact]
    public void Every_registered_workflow_is_one_that_declares_the_detail_of_its_catalog_entry()
    {
        Assert.Empty(EventWorkflows.CatalogMismatches());
        foreach (var type in EventWorkflows.Types)
        {
            var name = WorkflowDefinition.Create(type).Name!;
            Assert.True(EventCatalog.TryGetByWorkflowType(name, out var entry), $"{type.Name} has no catalog entry.");
            Assert.Equal(entry.DetailRecordType, EventWorkflows.DetailOf(type));
        }
    }

    [Fact]
    public void A_catalog_entry_without_its_workflow_is_named()
    {
        var problems = EventWorkflows.CatalogMismatches(EventWorkflows.Types.Where(t => t != typeof(TicketCommentedEventWorkflow)));

        Assert.Equal("TicketCommentedEvent (TicketCommentedDetail) has 0 workflows declaring it (); it needs exactly one.", Assert.Single(problems));
    }

    [Fact]
    public void Two_workflows_declaring_one_detail_are_named()
    {
        var problems = EventWorkflows.CatalogMismatches([.. EventWorkflows.Types, typeof(SecondTicketCommentedWorkflow)]);

        Assert.Equal(
            "TicketCommentedEvent (TicketCommentedDetail) has 2 workflows declaring it (TicketCommentedEventWorkflow, SecondTicketCommentedWorkflow); it needs exactly one.",
            Assert.Single(problems));
    }

    [Fact]
    public void A_workflow_not_named_by_its_catalog_entry_is_named()
    {
        var problems = EventWorkflows.CatalogMismatches([.. EventWorkflows.Types.Where(t => t != typeof(TicketCommentedEventWorkflow)), typeof(SecondTicketCommentedWorkflow)]);

        Assert.Equal(
            "SecondTicketCommentedWorkflow handles TicketCommentedEvent but its Temporal workflow name is SecondTicketCommentedWorkflow, not TicketCommentedEventWorkflow.",
            Assert.Single(problems));
    }

    [Fact]
    public void A_workflow_whose_run_takes_another_input_is_named()
    {
        var problems = EventWorkflows.CatalogMismatches([.. EventWorkflows.Types.Where(t => t != typeof(TicketCommentedEventWorkflow)), typeof(MistypedTicketCommentedWorkflow)]);

        Assert.Equal(
            "MistypedTicketCommentedWorkflow's run method must take exactly one EventInput<TicketCommentedDetail>, not (EventInput<TicketUpdatedDetail>).",
            Assert.Single(problems));
    }

    [Fact]
    public void A_workflow_declaring_a_detail_the_catalog_lacks_is_named()
    {
        var problems = EventWorkflows.CatalogMismatches([.. EventWorkflows.Types, typeof(UncataloguedWorkflow)]);

        Assert.Equal("UncataloguedWorkflow declares UncataloguedDetail, which no catalog entry has.", Assert.Single(problems));
    }

    [Fact]
    public void Only_the_workflows_assembly_is_scanned_and_every_declaring_class_is_registered()
    {
        Assert.DoesNotContain(typeof(UncataloguedWorkflow), EventWorkflows.Types);
        var declaring = typeof(EventWorkflows).Assembly.GetTypes().Where(t => EventWorkflows.DetailOf(t) is not null);
        Assert.Equal(declaring.OrderBy(t => t.Name, StringComparer.Ordinal), EventWorkflows.Types);
    }
}

public sealed record UncataloguedDetail(string Id) : IEventDetail;

[Workflow]
public sealed class SecondTicketCommentedWorkflow : IEventWorkflow<TicketCommentedDetail>
{
    [WorkflowRun]
    public Task<string> RunAsync(EventInput<TicketCommentedDetail> input) => Task.FromResult(input.EventId);
}

[Workflow("TicketCommentedEventWorkflow")]
public sealed class MistypedTicketCommentedWorkflow : IEventWorkflow<TicketCommentedDetail>
{
    [WorkflowRun]
    public Task<string> RunAsync(EventInput<TicketUpdatedDetail> input) => Task.FromResult(input.EventId);
}

[Workflow]
public sealed class UncataloguedWorkflow : IEventWorkflow<UncataloguedDetail>
{
    [WorkflowRun]
    public Task<string> RunAsync(EventInput<UncataloguedDetail> input) => Task.FromResult(input.EventId);
}
