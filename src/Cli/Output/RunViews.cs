using System.Globalization;
using System.Text.Json.Nodes;
using EventProcessor.Cli.Runs;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Renders runs: the list table and the <c>runs show</c> report.</summary>
internal static class RunViews
{
    public static void WriteList(IAnsiConsole console, OutputFormat format, IReadOnlyList<ListedRun> runs, string query, bool currentOnly)
    {
        if (format != OutputFormat.Table)
        {
            Outputs.Records(console, format, runs.Select(RunJson));
            return;
        }

        console.MarkupLine($"[grey]query:[/] {Markup.Escape(query.Length == 0 ? "(all runs)" : query)}{(currentOnly ? " [grey](current runs only)[/]" : string.Empty)}");
        var table = new Table().AddColumns("Workflow id", "Type", "Status", "Started (UTC)", "Closed (UTC)", "Business key", "Re-run");
        foreach (var run in runs)
        {
            var row = run.Row;
            table.AddRow(
                Markup.Escape(row.WorkflowId),
                Markup.Escape(row.EventType ?? row.WorkflowType),
                Status(row.StatusName),
                Time(row.StartTime),
                row.CloseTime is { } closed ? Time(closed) : "-",
                Markup.Escape(row.BusinessKey),
                run.IsCurrent ? "-" : $"superseded by {Markup.Escape(run.Current!.RunId)} ({Status(run.Current.StatusName)})");
        }

        console.Write(table);
        console.WriteLine($"{runs.Count} run(s).");
    }

    /// <summary>One run of <c>runs list</c>; field names are a contract (docs/runbook.md).</summary>
    public static JsonObject RunJson(ListedRun run)
    {
        var row = run.Row;
        return new JsonObject
        {
            ["workflowId"] = row.WorkflowId,
            ["runId"] = row.RunId,
            ["workflowType"] = row.WorkflowType,
            ["eventType"] = row.EventType,
            ["status"] = row.StatusName,
            ["startTime"] = Outputs.Time(row.StartTime),
            ["closeTime"] = Outputs.Time(row.CloseTime),
            ["businessKey"] = row.BusinessKey,
            ["current"] = run.IsCurrent,
            ["supersededBy"] = run.IsCurrent ? null : new JsonObject { ["runId"] = run.Current!.RunId, ["status"] = run.Current.StatusName },
        };
    }

    public static void WriteReport(IAnsiConsole console, OutputFormat format, RunReport report)
    {
        if (format != OutputFormat.Table)
        {
            var json = ReportJson(report);
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

        var s = report.Summary;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Workflow id", Markup.Escape(s.WorkflowId));
        grid.AddRow("Run id", Markup.Escape(s.RunId));
        grid.AddRow("Type", Markup.Escape(s.WorkflowType));
        grid.AddRow("Status", Status(s.Status));
        grid.AddRow("Summary", Markup.Escape(s.StaticSummary ?? "-"));
        grid.AddRow("Started (UTC)", s.StartTime is { } st ? Time(st) : "-");
        grid.AddRow("Closed (UTC)", s.CloseTime is { } ct ? Time(ct) : "-");
        grid.AddRow("Task queue", Markup.Escape(s.TaskQueue));
        grid.AddRow("History events", s.HistoryLength.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in s.SearchAttributes)
        {
            grid.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        console.Write(new Panel(grid).Header("Run"));
        if (report.Chain.Count > 1)
        {
            console.Write(new Rule("Re-run chain (oldest first)").LeftJustified());
            foreach (var link in report.Chain)
            {
                var marks = string.Join(", ", new[] { link.IsCurrent ? "current" : null, link.RunId == s.RunId ? "shown" : null }.Where(m => m is not null));
                var why = link.Reason is null ? string.Empty : $", re-run: {link.Reason}";
                Plain.Line(console, $"{link.RunId} {link.Status}{why}{(marks.Length == 0 ? string.Empty : $" ({marks})")}");
            }
        }

        console.Write(new Rule("Input (secrets masked)").LeftJustified());
        Plain.Line(console, report.Input);

        if (report.Result is not null)
        {
            console.Write(new Rule("Result").LeftJustified());
            Plain.Line(console, report.Result);
        }

        if (report.Failure.Count > 0)
        {
            console.Write(new Rule("Failure").LeftJustified());
            for (var i = 0; i < report.Failure.Count; i++)
            {
                Plain.Line(console, $"{new string(' ', 2 * i)}{(i == 0 ? string.Empty : "caused by ")}{FailureChain.Format(report.Failure[i])}");
            }
        }

        console.Write(new Rule("Activities").LeftJustified());
        var table = new Table().AddColumns("#", "Activity", "Summary", "Scheduled (UTC)", "Status", "Attempts", "Last error type");
        foreach (var step in report.Activities)
        {
            table.AddRow(
                step.ScheduledEventId.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(step.ActivityType),
                Markup.Escape(step.Summary ?? "-"),
                Time(step.ScheduledTime),
                Status(step.Status),
                step.Attempts.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(step.LastFailure?.ErrorType ?? "-"));
        }

        console.Write(table);

        // Errors are printed whole below the table: cells would wrap or cut the message someone needs to read.
        foreach (var step in report.Activities.Where(a => a.LastFailure is not null))
        {
            Plain.Line(console, $"{step.ActivityType} (event {step.ScheduledEventId}, attempt {step.Attempts}) last error: {FailureChain.Format(step.LastFailure!)}");
        }

        console.Write(new Rule("Pending activities").LeftJustified());
        if (report.Pending.Count == 0)
        {
            console.WriteLine("none");
        }

        foreach (var pending in report.Pending)
        {
            var next = pending.NextAttempt is { } n ? $", next attempt {Time(n)}" : string.Empty;
            var last = pending.LastFailure is { } f ? $", last error: {FailureChain.Format(f)}" : string.Empty;
            Plain.Line(console, $"{pending.ActivityType} (id {pending.ActivityId}) {pending.State}, attempt {pending.Attempt}{next}{last}");
        }
    }

    /// <summary>The whole <c>runs show</c> report as one object; field names are a contract (docs/runbook.md).</summary>
    public static JsonObject ReportJson(RunReport report)
    {
        var s = report.Summary;
        static JsonObject? Link(FailureLink? f) => f is null ? null : new JsonObject { ["kind"] = f.Kind, ["errorType"] = f.ErrorType, ["message"] = f.Message };
        return new JsonObject
        {
            ["workflowId"] = s.WorkflowId,
            ["runId"] = s.RunId,
            ["workflowType"] = s.WorkflowType,
            ["status"] = s.Status,
            ["summary"] = s.StaticSummary,
            ["startTime"] = Outputs.Time(s.StartTime),
            ["closeTime"] = Outputs.Time(s.CloseTime),
            ["taskQueue"] = s.TaskQueue,
            ["historyLength"] = s.HistoryLength,
            ["searchAttributes"] = new JsonObject([.. s.SearchAttributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]),
            ["input"] = Outputs.Payload(report.Input),
            ["result"] = Outputs.Payload(report.Result),
            ["failure"] = new JsonArray([.. report.Failure.Select(f => (JsonNode?)Link(f))]),
            ["activities"] = new JsonArray([.. report.Activities.Select(a => (JsonNode?)new JsonObject
            {
                ["scheduledEventId"] = a.ScheduledEventId,
                ["activityId"] = a.ActivityId,
                ["activityType"] = a.ActivityType,
                ["summary"] = a.Summary,
                ["scheduledTime"] = Outputs.Time(a.ScheduledTime),
                ["status"] = a.Status,
                ["attempts"] = a.Attempts,
                ["lastFailure"] = Link(a.LastFailure),
            })]),
            ["pendingActivities"] = new JsonArray([.. report.Pending.Select(p => (JsonNode?)new JsonObject
            {
                ["activityId"] = p.ActivityId,
                ["activityType"] = p.ActivityType,
                ["state"] = p.State,
                ["attempt"] = p.Attempt,
                ["nextAttemptTime"] = Outputs.Time(p.NextAttempt),
                ["lastFailure"] = Link(p.LastFailure),
            })]),
            ["rerunChain"] = new JsonArray([.. report.Chain.Select(l => (JsonNode?)new JsonObject
            {
                ["runId"] = l.RunId,
                ["status"] = l.Status,
                ["rerunReason"] = l.Reason,
                ["current"] = l.IsCurrent,
            })]),
        };
    }

    public static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Status(string status) => status switch
    {
        "Completed" => "[green]Completed[/]",
        "Failed" or "TimedOut" or "Terminated" => $"[red]{status}[/]",
        "Running" or "Started" or "Scheduled" => $"[yellow]{status}[/]",
        _ => Markup.Escape(status),
    };
}
