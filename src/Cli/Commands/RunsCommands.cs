using System.CommandLine;
using EventProcessor.Cli.Output;
using EventProcessor.Cli.Runs;
using Spectre.Console;

namespace EventProcessor.Cli.Commands;

/// <summary><c>runs list</c>, <c>runs show</c>, <c>runs rerun</c>.</summary>
internal static class RunsCommands
{
    /// <summary>Above this many runs a re-run needs <c>--yes</c>: a wrong filter should not reset a whole day's runs.</summary>
    public const int ConfirmAbove = 20;

    public static Command Create(CliContext context)
    {
        var runs = new Command("runs", "Find, inspect and re-run workflow runs.");
        runs.Subcommands.Add(List(context));
        runs.Subcommands.Add(Show(context));
        runs.Subcommands.Add(Rerun(context));
        return runs;
    }

    private static Command List(CliContext context)
    {
        var filters = new RunFilterOptions();
        var limit = new Option<int>("--limit") { Description = "At most this many runs (newest first).", DefaultValueFactory = _ => 100 };
        var current = new Option<bool>("--current") { Description = "Only each workflow's current run (the latest re-run): what is still broken. The default with --status." };
        var allRuns = new Option<bool>("--all-runs") { Description = "Every run, re-run ones included (marked 'superseded by' their re-run). The default without --status." };
        var output = Outputs.Option();
        var command = new Command("list", "List runs matching the filters, newest first; a run replaced by a re-run names the run that replaced it.");
        filters.AddTo(command);
        foreach (var option in new Option[] { limit, current, allRuns, output })
        {
            command.Options.Add(option);
        }

        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var max = parsed.GetValue(limit);
            if (max < 1)
            {
                throw new CliUsageException($"--limit must be at least 1, not {max}.");
            }

            if (parsed.GetValue(current) && parsed.GetValue(allRuns))
            {
                throw new CliUsageException("--current and --all-runs exclude each other: choose the latest runs or every run.");
            }

            var runFilters = filters.Read(parsed, DateTimeOffset.UtcNow);
            var currentOnly = parsed.GetValue(current) || (runFilters.Statuses.Count > 0 && !parsed.GetValue(allRuns));
            var query = runFilters.ToQuery();
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var runs = await RunLister.ListWithCurrentAsync(client, query, max, currentOnly, cancellationToken).ConfigureAwait(false);
            RunViews.WriteList(context.Console, Outputs.Read(parsed, output), runs, query, currentOnly);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var workflowId = new Argument<string>("workflow-id") { Description = "The workflow id, e.g. TicketCommented-6a7e8feb-..." };
        var runId = new Option<string?>("--run-id") { Description = "A specific run (default: the current run)." };
        var output = Outputs.Option();
        var command = new Command("show", "Show one run: summary, re-run chain, input (secrets masked), result or failure, activity timeline, pending activities.");
        command.Arguments.Add(workflowId);
        command.Options.Add(runId);
        command.Options.Add(output);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var report = await RunInspector.InspectAsync(client, parsed.GetValue(workflowId)!, parsed.GetValue(runId), cancellationToken).ConfigureAwait(false);
            RunViews.WriteReport(context.Console, Outputs.Read(parsed, output), report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rerun(CliContext context)
    {
        var ids = new Argument<string[]>("workflow-id") { Description = "Workflow ids to re-run (their current runs).", Arity = ArgumentArity.ZeroOrMore };
        var filters = new RunFilterOptions();
        var from = new Option<string>("--from")
        {
            Description = "failure (default): just before the step that failed, keeping every step completed before it; "
                + "first: the first workflow task, every step runs again (lists the side effects that repeat and asks, unless --yes); "
                + "last: the last workflow task, keeping every recorded step.",
            DefaultValueFactory = _ => "failure",
        };
        from.AcceptOnlyFromAmong("failure", "first", "last");
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the run's history; also names the resume state).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be re-run; change nothing." };
        var rate = CommonOptions.Rate();
        var yes = new Option<bool>("--yes", "-y") { Description = $"Confirm re-running more than {ConfirmAbove} runs, and the side effects --from first repeats." };
        var stateFile = new Option<string?>("--state-file") { Description = "Where progress is recorded for resuming (default: one file per reason under local app data)." };
        var limit = new Option<int>("--limit") { Description = "At most this many runs from the query.", DefaultValueFactory = _ => 1000 };
        var output = Outputs.Option();
        var command = new Command(
            "rerun",
            "Re-run runs by resetting them: named by workflow id, or by --query and the list filters. These select the runs that "
            + "Failed or TimedOut unless --status is given or the --query names ExecutionStatus, and need at least one filter besides --status (e.g. --since 1h), "
            + "so a bare command cannot re-run every failed run ever. Runs already re-run are skipped.");
        command.Arguments.Add(ids);
        filters.AddTo(command);
        foreach (var option in new Option[] { from, reason, dryRun, rate, yes, stateFile, limit, output })
        {
            command.Options.Add(option);
        }

        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var why = parsed.GetValue(reason)?.Trim();
            if (string.IsNullOrEmpty(why))
            {
                throw new CliUsageException("--reason must say why the runs are re-run (it is recorded in each run's history).");
            }

            var selection = new RerunSelection(parsed.GetValue(ids) ?? [], filters.Read(parsed, DateTimeOffset.UtcNow), parsed.GetValue(limit));
            selection.Validate();
            var pace = parsed.GetValue(rate);
            _ = new Pacer(pace);

            var format = Outputs.Read(parsed, output);
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var (targets, truncated) = await selection.ResolveAsync(client, cancellationToken).ConfigureAwait(false);
            if (truncated)
            {
                // Re-run runs drop out of a status filter, so running the command again picks up the rest.
                await context.Error.WriteLineAsync($"note: only the newest {selection.Limit} matching runs are handled (--limit); run the command again for the rest.").ConfigureAwait(false);
            }

            var plan = new RerunPlan(
                targets,
                parsed.GetValue(from) switch
                {
                    "first" => ResetPoint.First,
                    "last" => ResetPoint.Last,
                    _ => ResetPoint.Failure,
                },
                why,
                parsed.GetValue(dryRun),
                pace,
                parsed.GetValue(stateFile) ?? RerunStateFile.DefaultPath(why));
            if (targets.Count > ConfirmAbove && !plan.DryRun && !parsed.GetValue(yes))
            {
                throw new CliUsageException($"{targets.Count} runs match; re-running more than {ConfirmAbove} needs --yes (check them first with --dry-run).");
            }

            if (targets.Count == 0 && format == OutputFormat.Table)
            {
                context.Console.WriteLine("No run matches: nothing to re-run.");
                return ExitCodes.Ok;
            }

            var confirmed = parsed.GetValue(yes);
            var notes = format == OutputFormat.Table ? context.Environment.Out : context.Error;
            async Task<bool> ConfirmAsync(IReadOnlyList<PlannedRun> repeating, CancellationToken token)
            {
                RerunViews.WriteSideEffects(notes, repeating);
                if (confirmed)
                {
                    return true;
                }

                if (context.Environment.In is not { } input)
                {
                    throw new CliUsageException("re-running from the first workflow task repeats the side effects listed above; add --yes to confirm them (nothing was re-run).");
                }

                await notes.WriteAsync("Re-run them anyway? [y/N] ").ConfigureAwait(false);
                var answer = (await input.ReadLineAsync(token).ConfigureAwait(false))?.Trim();
                return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
            }

            // The side effects are listed (and maybe asked about) midway: under a live progress bar they
            // would be drawn over, so a --from first re-run prints its progress per line.
            var progressContext = plan.From == ResetPoint.First && !plan.DryRun ? context.WithoutProgressBar() : context;
            var bulk = new BulkRerun(client, plan, TimeProvider.System, context.Environment.OnRerunOutcome);
            var result = await RerunViews.RunWithProgressAsync(progressContext, format, bulk, plan, ConfirmAsync, cancellationToken).ConfigureAwait(false);
            RerunViews.WriteSummary(context.Console, format, plan, result);
            return result.Interrupted ? ExitCodes.Interrupted
                : result.Count(RerunOutcomeKind.Failed) > 0 || result.Declined > 0 ? ExitCodes.SomeFailed
                : ExitCodes.Ok;
        });
        return command;
    }

    private static Task<Temporalio.Client.TemporalClient> Connect(CliContext context, ParseResult parsed) =>
        TemporalConnector.ConnectAsync(context.Environment, parsed.GetValue(CommonOptions.Address), parsed.GetValue(CommonOptions.Namespace));
}
