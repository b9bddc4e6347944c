using System.CommandLine;
using EventProcessor.Cli.Configuration;
using EventProcessor.Cli.Output;
using EventProcessor.Cli.Runs;
using EventProcessor.Cli.Schedules;
using EventProcessor.Hosting;

namespace EventProcessor.Cli.Commands;

/// <summary><c>schedules ensure</c>, <c>schedules list</c>.</summary>
internal static class SchedulesCommands
{
    public static Command Create(CliContext context)
    {
        var schedules = new Command("schedules", "The product's Temporal schedules (the nightly search index reconciliation).");
        schedules.Subcommands.Add(Ensure(context));
        schedules.Subcommands.Add(List(context));
        return schedules;
    }

    private static Command Ensure(CliContext context)
    {
        var command = new Command(
            "ensure",
            $"Create the schedule {ReconciliationSchedule.Id}, or update it to section Reconciliation (what the worker does at start); safe to repeat.");
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var (temporal, settings) = ReadSettings(context, parsed);
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var outcome = await ReconciliationSchedule.EnsureAsync(client, settings, temporal.TaskQueue, cancellationToken).ConfigureAwait(false);
            var row = await ScheduleLister.DescribeAsync(client, ReconciliationSchedule.Id, cancellationToken).ConfigureAwait(false);
            Plain.Line(context.Console, $"Schedule {ReconciliationSchedule.Id} {(outcome == ScheduleEnsured.Created ? "created" : "updated")}: "
                + $"{row?.Spec ?? settings.Schedule}, task queue {temporal.TaskQueue}{(settings.Enabled ? string.Empty : ", paused (Reconciliation:Enabled is false)")}"
                + $"{(row?.NextRun is { } next ? $", next run {Outputs.Time(next)}" : string.Empty)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var output = Outputs.Option();
        var command = new Command("list", "List the schedules: id, times, paused, next run, and the status and summary of the last run.");
        command.Options.Add(output);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var client = await Connect(context, parsed).ConfigureAwait(false);
            var rows = await ScheduleLister.ListAsync(client, cancellationToken).ConfigureAwait(false);
            ScheduleViews.WriteList(context.Console, Outputs.Read(parsed, output), rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Sections <c>Temporal</c> (the task queue the schedule starts runs on) and <c>Reconciliation</c>, read as the worker reads them.</summary>
    public static (TemporalSettings Temporal, ReconciliationSettings Reconciliation) ReadSettings(CliContext context, ParseResult parsed)
    {
        var temporal = CliConfiguration.ReadTemporal(context.Environment, parsed.GetValue(CommonOptions.Address), parsed.GetValue(CommonOptions.Namespace));
        try
        {
            return (temporal, ReconciliationOptions.Read(CliConfiguration.Build(context.Environment, new Dictionary<string, string?>())));
        }
        catch (InvalidSettingException e)
        {
            throw new CliUsageException(e.Message, e);
        }
    }

    public static Task<Temporalio.Client.TemporalClient> Connect(CliContext context, ParseResult parsed) =>
        TemporalConnector.ConnectAsync(context.Environment, parsed.GetValue(CommonOptions.Address), parsed.GetValue(CommonOptions.Namespace));
}
