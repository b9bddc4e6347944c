using System.CommandLine;
using EventProcessor.Cli.Output;
using EventProcessor.Events.Maintenance;
using EventProcessor.Hosting;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.Cli.Commands;

/// <summary><c>reconcile run [--dry-run]</c>.</summary>
internal static class ReconcileCommands
{
    public static Command Create(CliContext context)
    {
        var reconcile = new Command("reconcile", "The search index reconciliation with the platform.");
        reconcile.Subcommands.Add(Run(context));
        return reconcile;
    }

    private static Command Run(CliContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Report the drift only; change nothing in the index." };
        var output = Outputs.Option();
        var command = new Command(
            "run",
            $"Start {SearchIndexReconciliation.WorkflowType} now (workflow id {ReconciliationSchedule.Id}-manual-<time>), wait for it, "
            + "and print how many projects were checked, repaired and skipped, and which attributes drifted.");
        command.Options.Add(dryRun);
        command.Options.Add(output);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var format = Outputs.Read(parsed, output);
            var dry = parsed.GetValue(dryRun);
            var (temporal, settings) = SchedulesCommands.ReadSettings(context, parsed);
            var client = await SchedulesCommands.Connect(context, parsed).ConfigureAwait(false);
            var workflowId = ReconciliationSchedule.ManualWorkflowId(DateTimeOffset.UtcNow);
            var handle = await client.StartWorkflowAsync(
                SearchIndexReconciliation.WorkflowType,
                [settings.Input(dry)],
                new WorkflowOptions(workflowId, temporal.TaskQueue)
                {
                    StaticSummary = dry ? "Dry run of the search index reconciliation, started by hand" : "Search index reconciliation, started by hand",
                }).ConfigureAwait(false);
            var notes = format == OutputFormat.Table ? context.Environment.Out : context.Error;
            await notes.WriteLineAsync($"Started {workflowId}{(dry ? " (dry run)" : string.Empty)} on task queue {temporal.TaskQueue}; waiting for it to finish.").ConfigureAwait(false);

            SearchIndexReconciliationResult result;
            try
            {
                result = await handle.GetResultAsync<SearchIndexReconciliationResult>(rpcOptions: new RpcOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync($"interrupted: the run goes on; follow it with 'eventprocessor runs show {workflowId}'.").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            catch (WorkflowFailedException e)
            {
                // The innermost cause says what went wrong (e.g. Algolia's answer); the outer ones only that an activity failed.
                var cause = e.InnerException ?? e;
                while (cause.InnerException is not null)
                {
                    cause = cause.InnerException;
                }

                throw new CliFailureException($"{workflowId} failed: {cause.Message} (see 'eventprocessor runs show {workflowId}').", e);
            }

            ReconcileViews.WriteResult(context.Console, format, workflowId, result);
            return ExitCodes.Ok;
        });
        return command;
    }
}
