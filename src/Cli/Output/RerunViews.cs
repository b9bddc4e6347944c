using EventProcessor.Cli.Runs;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Progress while re-running, then the summary: re-run, skipped, failed, with reasons.</summary>
internal static class RerunViews
{
    public static async Task<BulkRerunResult> RunWithProgressAsync(CliContext context, BulkRerun bulk, RerunPlan plan, CancellationToken cancellationToken)
    {
        var verb = plan.DryRun ? "Checking" : "Re-running";
        if (!context.Environment.Interactive)
        {
            // Captured or piped output: one line per run reads better in a log than a redrawn bar.
            var done = 0;
            return await bulk.ExecuteAsync(
                outcome => Plain.Line(context.Console, $"[{++done}/{plan.Targets.Count}] {outcome.WorkflowId}: {Label(outcome.Kind)} ({outcome.Detail})"),
                cancellationToken).ConfigureAwait(false);
        }

        BulkRerunResult? result = null;
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{verb} {plan.Targets.Count} run(s)", maxValue: plan.Targets.Count);
                result = await bulk.ExecuteAsync(_ => task.Increment(1), cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }

    public static void WriteSummary(IAnsiConsole console, RerunPlan plan, BulkRerunResult result)
    {
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

        console.WriteLine($"Re-run: {result.Count(RerunOutcomeKind.Rerun)}, skipped: {result.Count(RerunOutcomeKind.Skipped)}, failed: {result.Count(RerunOutcomeKind.Failed)}.");
        if (result.Interrupted)
        {
            Plain.Line(console, $"Interrupted after {result.Outcomes.Count} of {plan.Targets.Count} run(s). Run the same command again to resume; done runs are recorded in {result.StateFile}.");
        }
    }

    private static string Label(RerunOutcomeKind kind) => kind switch
    {
        RerunOutcomeKind.Rerun => "re-run",
        RerunOutcomeKind.WouldRerun => "would re-run",
        RerunOutcomeKind.Skipped => "skipped",
        _ => "failed",
    };
}
