using System.Text.Json.Nodes;
using EventProcessor.Cli.Runs;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Progress while re-running, the side effects to confirm, then the summary: re-run, skipped, failed, with reasons.</summary>
internal static class RerunViews
{
    public static async Task<BulkRerunResult> RunWithProgressAsync(
        CliContext context, OutputFormat format, BulkRerun bulk, RerunPlan plan,
        Func<IReadOnlyList<PlannedRun>, CancellationToken, Task<bool>> confirm, CancellationToken cancellationToken)
    {
        if (format != OutputFormat.Table)
        {
            // Standard output carries the JSON summary only.
            return await bulk.ExecuteAsync(_ => { }, confirm, cancellationToken).ConfigureAwait(false);
        }

        var verb = plan.DryRun ? "Checking" : "Re-running";
        if (!context.Environment.Interactive)
        {
            // Captured or piped output: one line per run reads better in a log than a redrawn bar.
            var done = 0;
            return await bulk.ExecuteAsync(
                outcome => Plain.Line(context.Console, $"[{++done}/{plan.Targets.Count}] {outcome.WorkflowId}: {Label(outcome.Kind)} ({outcome.Detail})"),
                confirm,
                cancellationToken).ConfigureAwait(false);
        }

        BulkRerunResult? result = null;
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{verb} {plan.Targets.Count} run(s)", maxValue: plan.Targets.Count);
                result = await bulk.ExecuteAsync(_ => task.Increment(1), confirm, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }

    /// <summary>The runs a <c>--from first</c> re-run would repeat side effects of, each with what it repeats.</summary>
    public static void WriteSideEffects(TextWriter writer, IReadOnlyList<PlannedRun> runs)
    {
        writer.WriteLine($"Re-running from the first workflow task repeats what these {runs.Count} run(s) already did:");
        foreach (var run in runs)
        {
            writer.WriteLine($"  {run.Target.WorkflowId} ({run.RunId}): {ResetChoice.Steps(run.Choice!.RepeatedSideEffects)}");
        }

        var byKind = runs.SelectMany(r => r.Choice!.RepeatedSideEffects).GroupBy(s => s.SideEffect!, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}").ToList();
        writer.WriteLine($"In all: {string.Join(", ", byKind)} again.");
    }

    public static void WriteSummary(IAnsiConsole console, OutputFormat format, RerunPlan plan, BulkRerunResult result)
    {
        if (format == OutputFormat.Jsonl)
        {
            foreach (var outcome in result.Outcomes)
            {
                Outputs.JsonLine(console, OutcomeJson(outcome));
            }

            return;
        }

        if (format == OutputFormat.Json)
        {
            Outputs.Json(console, new JsonObject
            {
                ["dryRun"] = plan.DryRun,
                ["from"] = Point(plan.From),
                ["rerun"] = result.Count(RerunOutcomeKind.Rerun),
                ["wouldRerun"] = result.Count(RerunOutcomeKind.WouldRerun),
                ["skipped"] = result.Count(RerunOutcomeKind.Skipped),
                ["failed"] = result.Count(RerunOutcomeKind.Failed),
                ["notConfirmed"] = result.Declined,
                ["interrupted"] = result.Interrupted,
                ["stateFile"] = result.StateFile,
                ["outcomes"] = new JsonArray([.. result.Outcomes.Select(o => (JsonNode?)OutcomeJson(o))]),
            });
            return;
        }

        var notable = result.Outcomes.Where(o => o.Kind is RerunOutcomeKind.Skipped or RerunOutcomeKind.Failed or RerunOutcomeKind.WouldRerun).ToList();
        if (notable.Count > 0)
        {
            var table = new Table().AddColumns("Workflow id", "Run id", "Outcome", "Why");
            foreach (var o in notable)
            {
                table.AddRow(Markup.Escape(o.WorkflowId), Markup.Escape(o.RunId ?? "-"), Label(o.Kind), Markup.Escape(o.Detail));
            }

            console.Write(table);
        }

        if (plan.DryRun)
        {
            console.WriteLine($"Dry run: {result.Count(RerunOutcomeKind.WouldRerun)} would be re-run, {result.Count(RerunOutcomeKind.Skipped)} skipped, {result.Count(RerunOutcomeKind.Failed)} failed. Nothing was changed.");
            return;
        }

        if (result.Declined > 0)
        {
            Plain.Line(console, $"Not confirmed: nothing was re-run ({result.Declined} run(s) were ready).");
        }

        console.WriteLine($"Re-run: {result.Count(RerunOutcomeKind.Rerun)}, skipped: {result.Count(RerunOutcomeKind.Skipped)}, failed: {result.Count(RerunOutcomeKind.Failed)}.");
        if (result.Interrupted)
        {
            Plain.Line(console, $"Interrupted after {result.Outcomes.Count} of {plan.Targets.Count} run(s). Run the same command again to resume; done runs are recorded in {result.StateFile}.");
        }
    }

    /// <summary>One run's outcome; field names are a contract (docs/runbook.md).</summary>
    public static JsonObject OutcomeJson(RerunOutcome outcome)
    {
        var reset = outcome.Reset;
        return new JsonObject
        {
            ["workflowId"] = outcome.WorkflowId,
            ["runId"] = outcome.RunId,
            ["outcome"] = outcome.Kind switch
            {
                RerunOutcomeKind.Rerun => "rerun",
                RerunOutcomeKind.WouldRerun => "would-rerun",
                RerunOutcomeKind.Skipped => "skipped",
                _ => "failed",
            },
            ["detail"] = outcome.Detail,
            ["newRunId"] = outcome.NewRunId,
            ["resetEventId"] = reset?.EventId,
            ["resetPoint"] = reset is null ? null : Point(reset.From),
            ["failedActivity"] = reset?.FailedActivity,
            ["firstWorkflowTask"] = reset?.FirstWorkflowTask,
            ["keptSteps"] = reset is null ? null : new JsonArray([.. reset.Kept.Select(Step)]),
            ["repeatedSteps"] = reset is null ? null : new JsonArray([.. reset.Repeated.Select(Step)]),
        };
    }

    private static JsonNode? Step(CompletedStep step) =>
        new JsonObject { ["activityType"] = step.ActivityType, ["sideEffect"] = step.SideEffect };

    private static string Point(ResetPoint point) => point switch
    {
        ResetPoint.First => "first",
        ResetPoint.Last => "last",
        _ => "failure",
    };

    private static string Label(RerunOutcomeKind kind) => kind switch
    {
        RerunOutcomeKind.Rerun => "re-run",
        RerunOutcomeKind.WouldRerun => "would re-run",
        RerunOutcomeKind.Skipped => "skipped",
        _ => "failed",
    };
}
