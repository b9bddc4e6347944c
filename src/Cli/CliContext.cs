using EventProcessor.Cli.Output;
using Spectre.Console;

namespace EventProcessor.Cli;

/// <summary>One invocation's environment plus the console drawn on its output.</summary>
public sealed class CliContext
{
    public CliContext(CliEnvironment environment)
    {
        Environment = environment;
        Console = ConsoleFactory.Create(environment.Out, environment.Interactive);
    }

    public CliEnvironment Environment { get; }

    public IAnsiConsole Console { get; }

    public TextWriter Error => Environment.Error;

    /// <summary>The same output without live progress bars (one line per item instead).</summary>
    public CliContext WithoutProgressBar() => Environment.Interactive ? new CliContext(Environment with { Interactive = false }) : this;
}
