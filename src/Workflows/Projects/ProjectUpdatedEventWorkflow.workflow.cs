using EventProcessor.Events.Payloads;
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
    [WorkflowRun]
    public async Task<ProjectSearchUpdated> RunAsync(EventInput<ProjectUpdatedDetail> input)
    {
        var projectUuid = input.Detail.ProjectUuid;
        var project = await PlatformLookups.ProjectAsync(projectUuid);
        var write = await ProjectSearch.UpdateAsync(
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
        return new ProjectSearchUpdated(projectUuid, write.Attributes, write.TaskId);
    }
}
