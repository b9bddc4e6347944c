using System.CommandLine;

namespace EventProcessor.Cli.Commands;

/// <summary>The command tree: <c>runs list|show|rerun</c>, <c>events validate|send|redrive</c>, <c>schedules ensure|list</c> and <c>reconcile run</c>.</summary>
internal static class RootCommandFactory
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("eventprocessor: find, inspect and re-run event workflows; validate, send and redrive events; manage the schedules and run the search index reconciliation.");
        root.Options.Add(CommonOptions.Address);
        root.Options.Add(CommonOptions.Namespace);
        root.Subcommands.Add(RunsCommands.Create(context));
        root.Subcommands.Add(EventsCommands.Create(context));
        root.Subcommands.Add(SchedulesCommands.Create(context));
        root.Subcommands.Add(ReconcileCommands.Create(context));
        return root;
    }
}
