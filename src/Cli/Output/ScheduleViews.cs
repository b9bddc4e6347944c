using System.Text.Json.Nodes;
using EventProcessor.Cli.Schedules;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Renders <c>schedules list</c>.</summary>
internal static class ScheduleViews
{
    public static void WriteList(IAnsiConsole console, OutputFormat format, IReadOnlyList<ScheduleRow> rows)
    {
        if (format != OutputFormat.Table)
        {
            Outputs.Records(console, format, rows.Select(ScheduleJson));
            return;
        }

        if (rows.Count == 0)
        {
            Plain.Line(console, "No schedule. The worker creates reconcile-search-index when it starts; 'eventprocessor schedules ensure' creates it now.");
            return;
        }

        var table = new Table().AddColumns("Schedule id", "Workflow", "Times", "Paused", "Next run (UTC)", "Last run", "Last result");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Id),
                Markup.Escape(row.WorkflowType ?? "-"),
                Markup.Escape(row.Spec),
                row.Paused ? Markup.Escape($"yes: {row.Note ?? "no note"}") : "no",
                row.NextRun is { } next ? Markup.Escape(Outputs.Time(next)!.ToString()) : "-",
                row.LastRun is { } last ? Markup.Escape(last.WorkflowId) : "never ran",
                row.LastRun is { } run ? Markup.Escape($"{run.Status}{(run.Summary is null ? string.Empty : ": " + run.Summary)}") : "-");
        }

        console.Write(table);
        console.WriteLine($"{rows.Count} schedule(s).");
    }

    /// <summary>One schedule of <c>schedules list</c>; field names are a contract (docs/runbook.md).</summary>
    public static JsonObject ScheduleJson(ScheduleRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new JsonObject
        {
            ["id"] = row.Id,
            ["workflowType"] = row.WorkflowType,
            ["spec"] = row.Spec,
            ["paused"] = row.Paused,
            ["note"] = row.Note,
            ["nextRun"] = Outputs.Time(row.NextRun),
            ["runs"] = row.Runs,
            ["lastRun"] = row.LastRun is not { } last ? null : new JsonObject
            {
                ["workflowId"] = last.WorkflowId,
                ["scheduledAt"] = Outputs.Time(last.ScheduledAt),
                ["status"] = last.Status,
                ["summary"] = last.Summary,
            },
        };
    }
}
