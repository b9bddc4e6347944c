using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Coalescing;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Projects;

/// <summary>What ProjectUpdated wrote to search.</summary>
public sealed record ProjectSearchUpdated(string ProjectUuid, IReadOnlyList<string> Attributes, long AlgoliaTaskId);

/// <summary>
/// Copies a project's name, status, account, plan and update time onto its search record
/// (partial update, never creating a missing record).
/// </summary>
[Workflow]
public sealed class ProjectUpdatedEventWorkflow : IEventWorkflow<ProjectUpdatedDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<ProjectSearchUpdated> RunAsync(EventInput<ProjectUpdatedDetail> input)
    {
        var projectUuid = input.Detail.ProjectUuid;
        var write = Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? await Coalesced.ProjectAttributesAsync(sync, projectUuid, input.EventId, ProjectSearchParts.Details, () => DirectAsync(projectUuid))
            : await DirectAsync(projectUuid);
        return new ProjectSearchUpdated(projectUuid, write.Attributes, write.TaskId);
    }

    private static async Task<AlgoliaWriteResult> DirectAsync(string projectUuid)
    {
        var project = await PlatformLookups.ProjectAsync(projectUuid);
        return await ProjectSearch.UpdateAsync(
            projectUuid,
            new
            {
                name = project.Name,
                status = project.Status,
                accountId = project.AccountId,
                plan = project.Plan,
                updatedAt = project.UpdatedAt,
            },
            $"the name, status, account and plan ({project.Name})");
    }
}
