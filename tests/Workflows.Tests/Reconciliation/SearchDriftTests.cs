using System.Text.Json;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Maintenance;
using EventProcessor.Workflows.Reconciliation;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tests.Reconciliation;

/// <summary>How a search record is compared with the platform: only real differences count as drift.</summary>
public sealed class SearchDriftTests
{
    private static readonly PlatformProject Project = new(
        "p-1", "Acme", "active", "acc-1", "owner@acme.example", null, new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), null);

    private static readonly PlatformReportSummary[] Reports = [new("r-1", "Prices", "active", new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero))];

    private static readonly PlatformUser[] Users = [new("u-2", null, null, null), new("u-1", null, null, null), new("u-1", null, null, null)];

    [Fact]
    public void Expected_attributes_have_the_event_workflows_shapes()
    {
        var expected = SearchDrift.Expected(Project, Reports, Users);

        Assert.Equal(["accountId", "name", "plan", "reports", "status", "userIds"], expected.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""[{"id":"r-1","name":"Prices","status":"active","updatedAt":"2026-11-20T09:30:00+00:00"}]""", expected["reports"].GetRawText());
        Assert.Equal("""["u-1","u-2"]""", expected["userIds"].GetRawText());
        Assert.Equal(JsonValueKind.Null, expected["plan"].ValueKind);
    }

    [Fact]
    public void Notation_property_order_and_an_absent_null_are_not_drift_but_values_are()
    {
        var expected = SearchDrift.Expected(Project, Reports, Users);
        var record = Record("""
            {"name":"Acme","status":"active","accountId":"acc-1","userIds":["u-1","u-2"],
             "reports":[{"updatedAt":"2026-11-20T09:30:00Z","status":"active","name":"Prices","id":"r-1"}]}
            """);

        Assert.Empty(SearchDrift.Differing(expected, record));

        var drifted = Record("""
            {"name":"Acme","status":"paused","accountId":"acc-1","plan":"pro","userIds":["u-2","u-1"],
             "reports":[{"updatedAt":"2026-11-21T09:30:00Z","status":"active","name":"Prices","id":"r-1"}]}
            """);
        Assert.Equal(["plan", "reports", "status", "userIds"], SearchDrift.Differing(expected, drifted));
    }

    [Fact]
    public void The_reconciliation_workflow_is_registered_under_its_contract_name_and_input()
    {
        var definition = WorkflowDefinition.Create(Assert.Single(MaintenanceWorkflows.Types));

        Assert.Equal("SearchIndexReconciliationWorkflow", definition.Name);
        Assert.Equal(SearchIndexReconciliation.WorkflowType, definition.Name);
        Assert.Equal(typeof(SearchIndexReconciliationInput), Assert.Single(definition.RunMethod.GetParameters()).ParameterType);
    }

    private static Dictionary<string, JsonElement> Record(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
}
