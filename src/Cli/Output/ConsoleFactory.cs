using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Spectre consoles over any writer: colours and live progress only on a terminal.</summary>
internal static class ConsoleFactory
{
    // Wide enough that ids, times and error types stay on one line when output is piped or captured.
    private const int RedirectedWidth = 240;

    public static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
