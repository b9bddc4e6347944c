using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Cli.Tests.Reconcile;

/// <summary>
/// <c>reconcile run [--dry-run]</c> with a worker running the reconciliation against the stand-ins:
/// the drift put into the index by hand is reported, and repaired unless it is a dry run.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ReconcileRunTests(TemporalServerFixture temporal)
{
    private const string InStep = "0a000000-0000-4000-8000-000000000001";
    private const string Drifted = "0b000000-0000-4000-8000-000000000002";
    private const string Gone = "0c000000-0000-4000-8000-000000000003";

    [Fact]
    public async Task A_dry_run_reports_the_drift_and_changes_nothing_then_a_run_repairs_it()
    {
        await using var world = await Arrange();
        var before = world.Downstream.Algolia.RecordOf(ReconciliationWorld.Index, Drifted)!;

        var dry = await RunAsync(world, "reconcile", "run", "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.StartsWith("Started reconcile-search-index-manual-", dry.Out, StringComparison.Ordinal);
        Assert.Contains("(dry run)", dry.Out, StringComparison.Ordinal);
        Assert.Matches($@"{Drifted}\s*│\s*name, status\s*│\s*would repair", dry.Out);
        Assert.Contains($"skipped {Gone}: The platform does not know project {Gone} (404)", dry.Out, StringComparison.Ordinal);
        Assert.Contains("Dry run: checked 2 projects: 1 would be repaired, skipped 1; nothing was changed. (1 page(s); run reconcile-search-index-manual-", dry.Out, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, world.Downstream.Algolia.RecordOf(ReconciliationWorld.Index, Drifted)));
        Assert.Empty(world.PartialUpdates(Drifted));

        var run = await RunAsync(world, "reconcile", "run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches($@"{Drifted}\s*│\s*name, status\s*│\s*repaired", run.Out);
        Assert.Contains("Checked 2 projects: repaired 1, skipped 1.", run.Out, StringComparison.Ordinal);
        var record = world.Downstream.Algolia.RecordOf(ReconciliationWorld.Index, Drifted)!;
        Assert.Equal(("Globex shelf watch", "active"), (record["name"]!.GetValue<string>(), record["status"]!.GetValue<string>()));
        Assert.Single(world.PartialUpdates(Drifted));
        Assert.Null(world.Downstream.Algolia.RecordOf(ReconciliationWorld.Index, "0d000000-0000-4000-8000-000000000004"));
    }

    [Fact]
    public async Task Json_output_is_the_result_alone_and_the_run_is_a_visible_workflow()
    {
        await using var world = await Arrange();

        var result = await RunAsync(world, "reconcile", "run", "--dry-run", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Started reconcile-search-index-manual-", result.Error, StringComparison.Ordinal);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal((true, 2, 0, 1, 1, 1), (json["dryRun"]!.GetValue<bool>(), json["checked"]!.GetValue<int>(), json["repaired"]!.GetValue<int>(),
            json["wouldRepair"]!.GetValue<int>(), json["skipped"]!.GetValue<int>(), json["pages"]!.GetValue<int>()));
        var drift = Assert.Single(json["drift"]!.AsArray())!;
        Assert.Equal(Drifted, drift["projectUuid"]!.GetValue<string>());
        Assert.Equal("""["name","status"]""", drift["attributes"]!.ToJsonString());
        Assert.False(drift["repaired"]!.GetValue<bool>());
        Assert.Equal(Gone, json["skippedProjects"]![0]!["projectUuid"]!.GetValue<string>());

        var workflowId = json["workflowId"]!.GetValue<string>();
        var described = await temporal.Client.GetWorkflowHandle(workflowId).DescribeAsync();
        Assert.Equal(("SearchIndexReconciliationWorkflow", WorkflowExecutionStatus.Completed), (described.WorkflowType, described.Status));
    }

    [Fact]
    public async Task A_run_that_fails_exits_1_naming_the_run_and_the_cause()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        world.Downstream.AlgoliaServer.FailNext(
            AlgoliaStub.BrowsePath(ReconciliationWorld.Index), 403, """{"message":"Method not allowed with this API key","status":403}""");

        var result = await RunAsync(world, "reconcile", "run");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains("error: reconcile-search-index-manual-", result.Error, StringComparison.Ordinal);
        Assert.Contains("Method not allowed with this API key", result.Error, StringComparison.Ordinal);
        Assert.Contains("eventprocessor runs show reconcile-search-index-manual-", result.Error, StringComparison.Ordinal);
    }

    private async Task<ReconciliationWorld> Arrange()
    {
        var world = await ReconciliationWorld.StartAsync(temporal);
        world.Project(InStep, "Acme price tracking");
        world.Project(Drifted, "Globex shelf watch");
        world.Project("0d000000-0000-4000-8000-000000000004", "Not in search", indexed: false);
        world.Drift(Drifted, r =>
        {
            r["name"] = "Globex (renamed by hand)";
            r["status"] = "archived";
        });
        world.Downstream.Algolia.Record(ReconciliationWorld.Index, Gone, new JsonObject { ["name"] = "Deleted on the platform" });
        return world;
    }

    private Task<CliResult> RunAsync(ReconciliationWorld world, params string[] args) =>
        CliRun.RunAsync(
            [.. args, "--address", temporal.Address, "--namespace", temporal.Namespace],
            settings: new Dictionary<string, string?>(CliRun.PlainPayloads)
            {
                ["Temporal:TaskQueue"] = world.TaskQueue,
                ["Reconciliation:PauseBetweenProjectsMilliseconds"] = "0",
            });
}
