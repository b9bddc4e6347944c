using EventProcessor.Activities.Coalescing;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Search;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Coalescing;

/// <summary>
/// One project's search record, written for a burst of events at once (id
/// <c>ProjectSearchSync-{projectUuid}</c>). Event runs hand it their change with signal-with-start
/// (<see cref="CoalescingActivities"/>); it waits until no change has come for the quiet period,
/// but never longer than the maximum delay after the batch's first change, then reads the
/// platform once for what the batch needs and writes every changed attribute in one partial
/// update (never creating a missing record). Each waiting event run is then told which run wrote
/// its change, or why the write failed (so a failed sync shows as failed event runs, which can be
/// re-run). Requests that arrive while a batch is written wait for the next batch: the read
/// already made may predate their change. With nothing left to do the run ends; the next request
/// starts a new one.
/// </summary>
[Workflow(CoalescingActivities.ProjectSearchSyncWorkflowType)]
public sealed class ProjectSearchSyncWorkflow
{
    private readonly Batcher<ProjectSearchSyncRequest> batcher = new(r => r.Waiter);

    [WorkflowSignal(CoalescingActivities.RequestSignal)]
    public Task RequestAsync(ProjectSearchSyncRequest request)
    {
        batcher.Add(request);
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task RunAsync(ProjectSearchSyncInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await batcher.DrainAsync(
            input.Pending,
            input.Windows,
            batch => WriteAsync(input.ProjectUuid, batch),
            waiting =>
            {
                var next = input with { Pending = waiting };
                return Workflow.CreateContinueAsNewException((ProjectSearchSyncWorkflow w) => w.RunAsync(next));
            });
    }

    private static async Task<SyncOutcome> WriteAsync(string projectUuid, IReadOnlyList<ProjectSearchSyncRequest> batch)
    {
        var info = Workflow.Info;
        var parts = batch.SelectMany(r => r.Parts).ToHashSet(StringComparer.Ordinal);
        try
        {
            // Of the values runs already have (stats, and the account and user ids runs read for
            // their mail), the latest asked wins: it was read last. A part some run did not bring is read.
            var known = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
            foreach (var request in batch.OrderBy(r => r.EventTime))
            {
                foreach (var (part, value) in request.Known ?? new Dictionary<string, System.Text.Json.JsonElement>())
                {
                    known[part] = value;
                }
            }

            bool Read(string part) => batch.Any(r => r.Parts.Contains(part) && !(r.Known?.ContainsKey(part) ?? false));

            // Only what the batch changed is read, each source once, in parallel.
            var reports = parts.Contains(ProjectSearchParts.Reports) ? PlatformLookups.ProjectReportsAsync(projectUuid) : null;
            var project = parts.Contains(ProjectSearchParts.Details) || parts.Contains(ProjectSearchParts.Metadata) || Read(ProjectSearchParts.Account)
                ? PlatformLookups.ProjectAsync(projectUuid)
                : null;
            var users = Read(ProjectSearchParts.Users) ? PlatformLookups.ProjectUsersAsync(projectUuid) : null;
            await Workflow.WhenAllAsync(new Task?[] { reports, project, users }.OfType<Task>());

            // The same attribute shapes as the per-event writers (ProjectSearch, ProjectReportsSync).
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (project is not null)
            {
                var p = await project;
                if (parts.Contains(ProjectSearchParts.Details))
                {
                    attributes["name"] = p.Name;
                    attributes["status"] = p.Status;
                    attributes["accountId"] = p.AccountId;
                    attributes["plan"] = p.Plan;
                    attributes["updatedAt"] = p.UpdatedAt;
                }
                else if (parts.Contains(ProjectSearchParts.Account))
                {
                    attributes["accountId"] = p.AccountId;
                }

                if (parts.Contains(ProjectSearchParts.Metadata))
                {
                    attributes["metadata"] = ProjectSearch.Metadata(p);
                }
            }

            IReadOnlyList<PlatformReportSummary> reportList = reports is null ? [] : await reports;
            if (reports is not null)
            {
                attributes["reports"] = ProjectReportsSync.ReportsAttribute(reportList);
            }

            var userIds = users is null ? 0 : ProjectSearch.UserIds(await users).Count;
            if (users is not null)
            {
                attributes["userIds"] = ProjectSearch.UserIds(await users);
            }

            // What was just read is fresher than what runs brought.
            foreach (var (part, value) in known.Where(k => !attributes.ContainsKey(k.Key)))
            {
                attributes[part] = value;
                userIds = part == ProjectSearchParts.Users ? value.GetArrayLength() : userIds;
            }

            var write = await ProjectSearch.UpdateAsync(projectUuid, attributes, $"{string.Join(", ", attributes.Keys)} for {batch.Count} event(s)");
            return new SyncOutcome(info.WorkflowId, info.RunId, null, null, new ProjectSearchWritten(projectUuid, write.Attributes, write.TaskId, reportList.Count, userIds, write.UpdatedAt));
        }
        catch (FailureException e)
        {
            return Batcher<ProjectSearchSyncRequest>.Failed(e);
        }
    }
}
