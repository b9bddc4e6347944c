using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Maintenance;
using Temporalio.Client;

namespace EventProcessor.TestSupport;

/// <summary>
/// The search index reconciliation's world, on the one <see cref="WorkflowHarness"/>: projects are
/// put on the platform stand-in and in the index in the shapes the event workflows write, drift is
/// put in by hand, and a reconciliation runs on the harness's worker.
/// </summary>
public sealed class ReconciliationWorld : IAsyncDisposable
{
    public const string Index = DownstreamStandIns.ProjectsIndex;

    /// <summary>The platform stand-in's default update time of a report, as the event workflows write it.</summary>
    public const string ReportUpdatedAt = "2026-11-20T09:30:00+00:00";

    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(120);

    private readonly WorkflowHarness harness;

    private ReconciliationWorld(WorkflowHarness harness) => this.harness = harness;

    public TemporalServerFixture Temporal => harness.Temporal;

    public DownstreamStandIns Downstream => harness.Downstream;

    public string TaskQueue => harness.TaskQueue;

    public TemporalClient Client => harness.Client;

    /// <summary>The one harness (stand-ins, the product's activities, a worker with every workflow of the product).</summary>
    public static async Task<ReconciliationWorld> StartAsync(TemporalServerFixture temporal) =>
        new(await WorkflowHarness.StartAsync(temporal));

    /// <summary>A project on the platform with two reports and two users, and its search record as the event workflows left it.</summary>
    public JsonObject Project(string uuid, string name, bool indexed = true)
    {
        var platform = Downstream.Platform;
        platform.Project(new StubPlatformProject(uuid, name, "active", "acc-1001", Plan: "pro"));
        platform.ProjectReports(uuid, new StubPlatformReport($"rpt-{uuid[..4]}-1", uuid, "Prices DE"), new StubPlatformReport($"rpt-{uuid[..4]}-2", uuid, "Prices FR", "paused"));
        platform.ProjectUsers(
            uuid,
            new StubPlatformUser("usr-b", "b@customer.example", "B", []),
            new StubPlatformUser("usr-a", "a@customer.example", "A", []));
        var record = new JsonObject
        {
            ["name"] = name,
            ["status"] = "active",
            ["accountId"] = "acc-1001",
            ["plan"] = "pro",
            ["updatedAt"] = "2026-11-20T09:30:00+00:00",
            ["metadata"] = new JsonObject { ["region"] = "eu" },
            ["stats"] = new JsonObject { ["runs"] = 12 },
            ["reports"] = new JsonArray(
                new JsonObject { ["id"] = $"rpt-{uuid[..4]}-1", ["name"] = "Prices DE", ["status"] = "active", ["updatedAt"] = ReportUpdatedAt },
                new JsonObject { ["id"] = $"rpt-{uuid[..4]}-2", ["name"] = "Prices FR", ["status"] = "paused", ["updatedAt"] = ReportUpdatedAt }),
            ["userIds"] = new JsonArray("usr-a", "usr-b"),
        };
        if (indexed)
        {
            Downstream.Algolia.Record(Index, uuid, record);
        }

        return record;
    }

    /// <summary>Changes attributes of a search record by hand (the drift a lost event leaves).</summary>
    public void Drift(string uuid, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var record = Downstream.Algolia.RecordOf(Index, uuid) ?? throw new InvalidOperationException($"No record {uuid} to drift.");
        change(record);
        Downstream.Algolia.Record(Index, uuid, record);
    }

    /// <summary>The partial updates Algolia received for the project.</summary>
    public IReadOnlyList<WireMock.IRequestMessage> PartialUpdates(string uuid) =>
        Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, uuid), "POST");

    public async Task<SearchIndexReconciliationResult> RunAsync(SearchIndexReconciliationInput input, string? workflowId = null)
    {
        var handle = await Client.StartWorkflowAsync(
            SearchIndexReconciliation.WorkflowType,
            [input],
            new WorkflowOptions(workflowId ?? $"reconcile-search-index-test-{Guid.NewGuid():N}", TaskQueue));
        using var timeout = new CancellationTokenSource(ResultTimeout);
        return await handle.GetResultAsync<SearchIndexReconciliationResult>(rpcOptions: new() { CancellationToken = timeout.Token });
    }

    public ValueTask DisposeAsync() => harness.DisposeAsync();
}
