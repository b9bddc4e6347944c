using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Coalescing;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
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
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<AlgoliaWriteResult> RunAsync(EventInput<MetadataUpdatedDetail> input)
    {
        var projectUuid = input.Detail.ProjectUuid;
        async Task<AlgoliaWriteResult> Direct()
        {
            var project = await PlatformLookups.ProjectAsync(projectUuid);
            return await ProjectSearch.UpdateAsync(projectUuid, new { metadata = ProjectSearch.Metadata(project) }, "the metadata");
        }

        return Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? await Coalesced.ProjectAttributesAsync(sync, projectUuid, input.EventId, ProjectSearchParts.Metadata, Direct)
            : await Direct();
    }
}
