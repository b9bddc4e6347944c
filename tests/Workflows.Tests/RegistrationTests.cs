using EventProcessor.Events.Catalog;
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
}
