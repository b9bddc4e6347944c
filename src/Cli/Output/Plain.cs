using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>
/// Text written as is, past Spectre's word wrapping: error messages, JSON and per-item lines must
/// stay whole so they can be grepped and pasted into a ticket.
/// </summary>
internal static class Plain
{
    public static void Line(IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);
}
