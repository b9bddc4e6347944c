using Amazon.Runtime;
using EventProcessor.Cli.Runs;

namespace EventProcessor.Cli;

/// <summary>
/// What the CLI takes from its surroundings. Tests hand in their own writers, credentials and
/// hooks so the whole tool runs in-process against stubs, exactly as it runs from a shell.
/// </summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error)
{
    /// <summary>When null, AWS credentials come from AWSSDK.Core's default chain (env, profile, SSO, IMDS...).</summary>
    public AWSCredentials? AwsCredentials { get; init; }

    /// <summary>When null, the region comes from AWSSDK.Core's region chain (AWS_REGION, profile).</summary>
    public string? AwsRegion { get; init; }

    /// <summary>Pause before resending EventBridge entries that failed; tests set zero.</summary>
    public TimeSpan ResendDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Settings laid over appsettings and the environment; <c>--address</c>/<c>--namespace</c> still win over them.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Whether to read appsettings.json and environment variables (off in tests, so the machine cannot leak in).</summary>
    public bool ReadAmbientConfiguration { get; init; } = true;

    /// <summary>Called after each run of a bulk re-run is handled; tests use it to interrupt one midway.</summary>
    public Action<RerunOutcome>? OnRerunOutcome { get; init; }

    /// <summary>Whether the output is a terminal, so progress bars and colours are worth drawing.</summary>
    public bool Interactive { get; init; }

    /// <summary>Where answers to questions come from (a terminal); null when nobody can answer, so <c>--yes</c> is needed.</summary>
    public TextReader? In { get; init; }

    public static CliEnvironment FromProcess() => new(Console.Out, Console.Error)
    {
        Interactive = !Console.IsOutputRedirected,
        In = Console.IsInputRedirected ? null : Console.In,
    };
}
