using EventProcessor.Activities.Algolia;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Projects;

/// <summary>
/// Copies the project's <c>metadata</c> onto its search record: the platform's free-form JSON
/// unchanged (an empty object when the project has none), replacing the attribute whole; a project
/// missing from the index is not created.
/// </summary>
[Workflow]
public sealed class MetadataUpdatedEventWorkflow : IEventWorkflow<MetadataUpdatedDetail>
{
    [WorkflowRun]
    public async Task<AlgoliaWriteResult> RunAsync(EventInput<MetadataUpdatedDetail> input)
    {
        var projectUuid = input.Detail.ProjectUuid;
        var project = await PlatformLookups.ProjectAsync(projectUuid);
        return await ProjectSearch.UpdateAsync(projectUuid, new { metadata = ProjectSearch.Metadata(project) }, "the metadata");
    }
}
