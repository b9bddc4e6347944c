using System.Globalization;
using EventProcessor.Cli.Runs;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Renders runs: the list table and the <c>runs show</c> report.</summary>
internal static class RunViews
{
    public static void WriteTable(IAnsiConsole console, IReadOnlyList<RunRow> rows, string query)
    {
        console.MarkupLine($"[grey]query:[/] {Markup.Escape(query.Length == 0 ? "(all runs)" : query)}");
        var table = new Table().AddColumns("Workflow id", "Type", "Status", "Started (UTC)", "Closed (UTC)", "Business key");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.WorkflowId),
                Markup.Escape(row.EventType ?? row.WorkflowType),
                Status(row.StatusName),
                Time(row.StartTime),
                row.CloseTime is { } closed ? Time(closed) : "-",
                Markup.Escape(row.BusinessKey));
        }

        console.Write(table);
        console.WriteLine($"{rows.Count} run(s).");
    }

    public static void WriteReport(IAnsiConsole console, RunReport report)
    {
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

    public static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Status(string status) => status switch
    {
        "Completed" => "[green]Completed[/]",
        "Failed" or "TimedOut" or "Terminated" => $"[red]{status}[/]",
        "Running" or "Started" or "Scheduled" => $"[yellow]{status}[/]",
        _ => Markup.Escape(status),
    };
}
