using System.Text.Json.Nodes;
using EventProcessor.Events.Maintenance;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Renders the result of <c>reconcile run</c>: the drifted and skipped projects, then the counts.</summary>
internal static class ReconcileViews
{
    public static void WriteResult(IAnsiConsole console, OutputFormat format, string workflowId, SearchIndexReconciliationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (format != OutputFormat.Table)
        {
            var json = ResultJson(workflowId, result);
            if (format == OutputFormat.Json)
            {
                Outputs.Json(console, json);
            }
            else
            {
                Outputs.JsonLine(console, json);
            }

            return;
        }

        if (result.Drift.Count > 0)
        {
            var table = new Table().AddColumns("Project", "Drifted attributes", "Outcome");
            foreach (var drift in result.Drift)
            {
                table.AddRow(Markup.Escape(drift.ProjectUuid), Markup.Escape(string.Join(", ", drift.Attributes)), drift.Repaired ? "repaired" : "would repair");
            }

            console.Write(table);
        }

        foreach (var skipped in result.SkippedProjects)
        {
            Plain.Line(console, $"skipped {skipped.ProjectUuid}: {skipped.Reason}");
        }

        var listed = result.Drift.Count + result.SkippedProjects.Count;
        var total = result.Repaired + result.WouldRepair + result.Skipped;
        if (listed < total)
        {
            Plain.Line(console, $"({total - listed} more not listed: a result names at most {SearchIndexReconciliation.MaxListed} drifted and {SearchIndexReconciliation.MaxListed} skipped projects.)");
        }

        Plain.Line(console, $"{result.Summary} ({result.Pages} page(s); run {workflowId})");
    }

    /// <summary>The result of <c>reconcile run</c>; field names are a contract (docs/runbook.md).</summary>
    public static JsonObject ResultJson(string workflowId, SearchIndexReconciliationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["workflowId"] = workflowId,
            ["dryRun"] = result.DryRun,
            ["checked"] = result.Checked,
            ["repaired"] = result.Repaired,
            ["wouldRepair"] = result.WouldRepair,
            ["skipped"] = result.Skipped,
            ["pages"] = result.Pages,
            ["summary"] = result.Summary,
            ["drift"] = new JsonArray([.. result.Drift.Select(d => (JsonNode?)new JsonObject
            {
                ["projectUuid"] = d.ProjectUuid,
                ["attributes"] = new JsonArray([.. d.Attributes.Select(a => (JsonNode?)JsonValue.Create(a))]),
                ["repaired"] = d.Repaired,
            })]),
            ["skippedProjects"] = new JsonArray([.. result.SkippedProjects.Select(s => (JsonNode?)new JsonObject
            {
                ["projectUuid"] = s.ProjectUuid,
                ["reason"] = s.Reason,
            })]),
        };
    }
}
