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
        var command = new Command("list", "List runs matching the filters, newest first.");
        filters.AddTo(command);
        command.Options.Add(limit);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var max = parsed.GetValue(limit);
            if (max < 1)
            {
                throw new CliUsageException($"--limit must be at least 1, not {max}.");
            }

            var query = filters.Read(parsed, DateTimeOffset.UtcNow).ToQuery();
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var rows = await RunLister.ListAsync(client, query, max, cancellationToken).ConfigureAwait(false);
            RunViews.WriteTable(context.Console, rows, query);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var workflowId = new Argument<string>("workflow-id") { Description = "The workflow id, e.g. TicketCommented-6a7e8feb-..." };
        var runId = new Option<string?>("--run-id") { Description = "A specific run (default: the current run)." };
        var command = new Command("show", "Show one run: summary, input (secrets masked), result or failure, activity timeline, pending activities.");
        command.Arguments.Add(workflowId);
        command.Options.Add(runId);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var report = await RunInspector.InspectAsync(client, parsed.GetValue(workflowId)!, parsed.GetValue(runId), cancellationToken).ConfigureAwait(false);
            RunViews.WriteReport(context.Console, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rerun(CliContext context)
    {
        var ids = new Argument<string[]>("workflow-id") { Description = "Workflow ids to re-run (their current runs).", Arity = ArgumentArity.ZeroOrMore };
        var filters = new RunFilterOptions();
        var from = new Option<string>("--from") { Description = "Reset to the first workflow task (replay everything) or the last (keep completed steps).", DefaultValueFactory = _ => "first" };
        from.AcceptOnlyFromAmong("first", "last");
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the run's history; also names the resume state).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be re-run; change nothing." };
        var rate = CommonOptions.Rate();
        var yes = new Option<bool>("--yes", "-y") { Description = $"Confirm re-running more than {ConfirmAbove} runs." };
        var stateFile = new Option<string?>("--state-file") { Description = "Where progress is recorded for resuming (default: one file per reason under local app data)." };
        var limit = new Option<int>("--limit") { Description = "At most this many runs from the query.", DefaultValueFactory = _ => 1000 };
        var command = new Command("rerun", "Re-run runs by resetting them: named by workflow id, by --query, or by the list filters (default status Failed or TimedOut).");
        command.Arguments.Add(ids);
        filters.AddTo(command);
        foreach (var option in new Option[] { from, reason, dryRun, rate, yes, stateFile, limit })
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

            var client = await Connect(context, parsed).ConfigureAwait(false);
            var (targets, truncated) = await selection.ResolveAsync(client, cancellationToken).ConfigureAwait(false);
            if (truncated)
            {
                // Re-run runs drop out of a status filter, so running the command again picks up the rest.
                await context.Error.WriteLineAsync($"note: only the newest {selection.Limit} matching runs are handled (--limit); run the command again for the rest.").ConfigureAwait(false);
            }

            var plan = new RerunPlan(
                targets,
                parsed.GetValue(from) == "last" ? ResetPoint.Last : ResetPoint.First,
                why,
                parsed.GetValue(dryRun),
                pace,
                parsed.GetValue(stateFile) ?? RerunStateFile.DefaultPath(why));
            if (targets.Count > ConfirmAbove && !plan.DryRun && !parsed.GetValue(yes))
            {
                throw new CliUsageException($"{targets.Count} runs match; re-running more than {ConfirmAbove} needs --yes (check them first with --dry-run).");
            }

            if (targets.Count == 0)
            {
                context.Console.WriteLine("No run matches: nothing to re-run.");
                return ExitCodes.Ok;
            }

            var result = await RerunViews.RunWithProgressAsync(context, new BulkRerun(client, plan, TimeProvider.System, context.Environment.OnRerunOutcome), plan, cancellationToken).ConfigureAwait(false);
            RerunViews.WriteSummary(context.Console, plan, result);
            return result.Interrupted ? ExitCodes.Interrupted
                : result.Count(RerunOutcomeKind.Failed) > 0 ? ExitCodes.SomeFailed
                : ExitCodes.Ok;
        });
        return command;
    }

    private static Task<Temporalio.Client.TemporalClient> Connect(CliContext context, ParseResult parsed) =>
        TemporalConnector.ConnectAsync(context.Environment, parsed.GetValue(CommonOptions.Address), parsed.GetValue(CommonOptions.Namespace));
}
