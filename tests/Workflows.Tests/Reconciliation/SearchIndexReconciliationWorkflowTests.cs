using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Maintenance;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Workflows.Tests.Reconciliation;

/// <summary>
/// The nightly reconciliation against the stand-ins: drift put into the search records by hand is
/// repaired with partial updates of only the differing attributes, a dry run only reports it, a
/// project missing from the index is never created, a record the platform does not know is skipped,
/// and the totals survive continue-as-new from page to page.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class SearchIndexReconciliationWorkflowTests(TemporalServerFixture temporal)
{
    private const string Index = ReconciliationWorld.Index;
    private const string InStep = "0a000000-0000-4000-8000-000000000001";
    private const string Renamed = "0b000000-0000-4000-8000-000000000002";
    private const string LostReport = "0c000000-0000-4000-8000-000000000003";

    private static readonly SearchIndexReconciliationInput Fast = new(PauseBetweenProjectsMilliseconds: 0);

    [Fact]
    public async Task Drift_put_into_search_records_by_hand_is_repaired_with_partial_updates_of_only_the_differing_attributes()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        var inStep = world.Project(InStep, "Acme price tracking");
        var renamed = world.Project(Renamed, "Globex shelf watch");
        var lostReport = world.Project(LostReport, "Initech catalogue");
        world.Drift(Renamed, r =>
        {
            r["name"] = "Globex shelf watch (old name)";
            r["userIds"] = new JsonArray("usr-a");
        });
        world.Drift(LostReport, r => ((JsonArray)r["reports"]!).RemoveAt(1));

        var result = await world.RunAsync(Fast);

        Assert.Equal((3, 2, 0, 0, 1), (result.Checked, result.Repaired, result.WouldRepair, result.Skipped, result.Pages));
        Assert.False(result.DryRun);
        Assert.Equal("Checked 3 projects: repaired 2, skipped 0.", result.Summary);
        Assert.Equal(
            [(Renamed, "name,userIds", true), (LostReport, "reports", true)],
            result.Drift.Select(d => (d.ProjectUuid, string.Join(',', d.Attributes), d.Repaired)));

        // Every record holds again what the event workflows would have written; the rest of it (metadata, stats) is untouched.
        Assert.True(JsonNode.DeepEquals(inStep, Without(world.Downstream.Algolia.RecordOf(Index, InStep)!)));
        Assert.True(JsonNode.DeepEquals(renamed, Without(world.Downstream.Algolia.RecordOf(Index, Renamed)!)));
        Assert.True(JsonNode.DeepEquals(lostReport, Without(world.Downstream.Algolia.RecordOf(Index, LostReport)!)));

        Assert.Empty(world.PartialUpdates(InStep));
        var rename = Assert.Single(world.PartialUpdates(Renamed));
        Assert.Equal("false", rename.Query!["createIfNotExists"].Single());
        Assert.Equal(["name", "userIds"], JsonNode.Parse(rename.Body!)!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        var reports = Assert.Single(world.PartialUpdates(LostReport));
        Assert.Equal(["reports"], JsonNode.Parse(reports.Body!)!.AsObject().Select(p => p.Key));

        // Repaired, a second run finds nothing to do.
        var again = await world.RunAsync(Fast);
        Assert.Equal((3, 0, 0), (again.Checked, again.Repaired, again.Skipped));
        Assert.Empty(again.Drift);
    }

    [Fact]
    public async Task A_dry_run_reports_the_drift_and_changes_nothing()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        world.Project(InStep, "Acme price tracking");
        world.Project(Renamed, "Globex shelf watch");
        world.Drift(Renamed, r =>
        {
            r["status"] = "archived";
            r["plan"] = null;
        });
        var before = world.Downstream.Algolia.RecordOf(Index, Renamed)!;

        var result = await world.RunAsync(Fast with { DryRun = true });

        Assert.True(result.DryRun);
        Assert.Equal((2, 0, 1, 0), (result.Checked, result.Repaired, result.WouldRepair, result.Skipped));
        var drift = Assert.Single(result.Drift);
        Assert.Equal((Renamed, false), (drift.ProjectUuid, drift.Repaired));
        Assert.Equal(["plan", "status"], drift.Attributes);
        Assert.Equal("Dry run: checked 2 projects: 1 would be repaired, skipped 0; nothing was changed.", result.Summary);
        Assert.True(JsonNode.DeepEquals(before, world.Downstream.Algolia.RecordOf(Index, Renamed)));
        Assert.DoesNotContain(world.Downstream.AlgoliaServer.LogEntries, e => e.RequestMessage.Path.EndsWith("/partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_project_missing_from_the_index_is_never_created_nor_asked_about()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        world.Project(InStep, "Acme price tracking");
        world.Project(Renamed, "Globex shelf watch", indexed: false);

        var result = await world.RunAsync(Fast);

        Assert.Equal((1, 0, 0), (result.Checked, result.Repaired, result.Skipped));
        Assert.Null(world.Downstream.Algolia.RecordOf(Index, Renamed));
        Assert.Empty(world.PartialUpdates(Renamed));
        Assert.Empty(world.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(Renamed)));
    }

    [Fact]
    public async Task A_record_whose_project_the_platform_does_not_know_is_skipped_and_named()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        world.Project(InStep, "Acme price tracking");
        const string Gone = "0d000000-0000-4000-8000-000000000004";
        var orphan = new JsonObject { ["name"] = "Deleted project", ["status"] = "active" };
        world.Downstream.Algolia.Record(Index, Gone, orphan);

        var result = await world.RunAsync(Fast);

        Assert.Equal((1, 0, 1), (result.Checked, result.Repaired, result.Skipped));
        var skipped = Assert.Single(result.SkippedProjects);
        Assert.Equal(Gone, skipped.ProjectUuid);
        Assert.Contains("does not know project", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal("Checked 1 projects: repaired 0, skipped 1.", result.Summary);
        Assert.Empty(world.PartialUpdates(Gone));
        Assert.True(JsonNode.DeepEquals(orphan, Without(world.Downstream.Algolia.RecordOf(Index, Gone)!)));
    }

    [Fact]
    public async Task Pages_continue_as_new_and_the_totals_and_summary_carry_over()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        var uuids = Enumerable.Range(1, 5).Select(i => $"{i:x2}000000-0000-4000-8000-00000000000{i}").ToList();
        foreach (var uuid in uuids)
        {
            world.Project(uuid, $"Project {uuid[..2]}");
        }

        world.Drift(uuids[0], r => r["accountId"] = "acc-0000");
        world.Drift(uuids[4], r => r["name"] = "Stale name");
        var workflowId = $"reconcile-search-index-test-{Guid.NewGuid():N}";

        // A short pause between projects exercises the rate limit's timers.
        var result = await world.RunAsync(new SearchIndexReconciliationInput(PageSize: 2, PauseBetweenProjectsMilliseconds: 10), workflowId);

        Assert.Equal((5, 2, 0, 3), (result.Checked, result.Repaired, result.Skipped, result.Pages));
        Assert.Equal([uuids[0], uuids[4]], result.Drift.Select(d => d.ProjectUuid));
        Assert.Equal("acc-1001", world.Downstream.Algolia.RecordOf(Index, uuids[0])!["accountId"]!.GetValue<string>());
        Assert.Equal("Project 05", world.Downstream.Algolia.RecordOf(Index, uuids[4])!["name"]!.GetValue<string>());

        // Three runs of the id: two continued as new (one per page with a next cursor), the last completed.
        var runs = await Eventually.ValueAsync(
            async () =>
            {
                var statuses = new List<WorkflowExecutionStatus>();
                await foreach (var run in world.Client.ListWorkflowsAsync($"WorkflowId = '{workflowId}'"))
                {
                    statuses.Add(run.Status);
                }

                return statuses;
            },
            s => s.Count == 3,
            TimeSpan.FromSeconds(30),
            "three runs of the reconciliation");
        Assert.Equal(2, runs.Count(s => s == WorkflowExecutionStatus.ContinuedAsNew));
        Assert.Single(runs, s => s == WorkflowExecutionStatus.Completed);
        Assert.Equal(3, world.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.BrowsePath(Index), "POST").Count);

        var last = await world.Client.GetWorkflowHandle(workflowId).DescribeAsync();
        Assert.Equal(result.Summary, await last.Memo["summary"].ToValueAsync<string>());
    }

    /// <summary>The record without its objectID, to compare with what was put in.</summary>
    private static JsonObject Without(JsonObject record)
    {
        record.Remove("objectID");
        return record;
    }
}
