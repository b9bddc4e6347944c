using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Projects;

/// <summary>What ProjectCreated wrote to search.</summary>
public sealed record ProjectIndexed(string ProjectUuid, IReadOnlyList<string> Attributes, int Reports, int Users, long AlgoliaTaskId);

/// <summary>
/// Creates (or replaces) the project's search record with everything the other workflows keep on
/// it that the platform can tell: <c>name, status, accountId, plan, updatedAt</c> (as ProjectUpdated),
/// <c>metadata</c> (as MetadataUpdated), <c>reports</c> (as the report events) and <c>userIds</c>
/// (as UserProjectAdded). Reading reports and users too (in parallel with the project) means a
/// replace, e.g. a redelivered event, never wipes a list another event already wrote.
/// <c>lastRunSummary</c> and <c>stats</c> only come from their events and a new project has none.
/// </summary>
[Workflow]
public sealed class ProjectCreatedEventWorkflow : IEventWorkflow<ProjectCreatedDetail>
{
    [WorkflowRun]
    public async Task<ProjectIndexed> RunAsync(EventInput<ProjectCreatedDetail> input)
    {
        var projectUuid = input.Detail.ProjectUuid;
        var project = PlatformLookups.ProjectAsync(projectUuid);
        var reports = PlatformLookups.ProjectReportsAsync(projectUuid);
        var users = PlatformLookups.ProjectUsersAsync(projectUuid);
        await Workflow.WhenAllAsync(project, reports, users);

        var p = await project;
        var userIds = ProjectSearch.UserIds(await users);
        var write = await ProjectSearch.SaveAsync(projectUuid, new
        {
            name = p.Name,
            status = p.Status,
            accountId = p.AccountId,
            plan = p.Plan,
            updatedAt = p.UpdatedAt,
            metadata = ProjectSearch.Metadata(p),
            reports = ProjectReportsSync.ReportsAttribute(await reports),
            userIds,
        }, $"project {p.Name}");
        return new ProjectIndexed(projectUuid, write.Attributes, (await reports).Count, userIds.Count, write.TaskId);
    }
}
