using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Projects;

/// <summary>What ProjectUpdated wrote to search.</summary>
public sealed record ProjectSearchUpdated(string ProjectUuid, IReadOnlyList<string> Attributes, long AlgoliaTaskId);

/// <summary>
/// Copies a project's name, status, account, plan and update time onto its search record
/// (partial update, never creating a missing record). Cost: 1 start, 1 fetch, 1 write: 3 actions.
/// </summary>
[Workflow]
public sealed class ProjectUpdatedEventWorkflow
{
    [WorkflowRun]
    public async Task<ProjectSearchUpdated> RunAsync(EventInput<ProjectUpdatedDetail> input)
    {
        var projectUuid = input.Detail.ProjectUuid;
        var project = await Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetProjectAsync(projectUuid),
                ActivityProfiles.Platform($"Fetch project {projectUuid}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ProjectNotFound", $"Project {projectUuid} does not exist on the platform");
        var attributes = AlgoliaAttributes.From(new
        {
            name = project.Name,
            status = project.Status,
            accountId = project.AccountId,
            plan = project.Plan,
            updatedAt = project.UpdatedAt,
        });
        var write = await Workflow.ExecuteActivityAsync(
            (AlgoliaActivities a) => a.PartialUpdateProjectAsync(projectUuid, attributes),
            ActivityProfiles.Algolia($"Update project {project.Name} in search"));
        return new ProjectSearchUpdated(projectUuid, write.Attributes, write.TaskId);
    }
}
