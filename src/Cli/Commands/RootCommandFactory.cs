using System.CommandLine;

namespace EventProcessor.Cli.Commands;

/// <summary>The command tree: <c>runs list|show|rerun</c> and <c>events validate|send|redrive</c>.</summary>
internal static class RootCommandFactory
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("eventprocessor: find, inspect and re-run event workflows; validate, send and redrive events.");
        root.Options.Add(CommonOptions.Address);
        root.Options.Add(CommonOptions.Namespace);
        root.Subcommands.Add(RunsCommands.Create(context));
        root.Subcommands.Add(EventsCommands.Create(context));
        return root;
    }
}
