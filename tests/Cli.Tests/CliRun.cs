using Amazon.Runtime;
using EventProcessor.Cli.Runs;

namespace EventProcessor.Cli.Tests;

/// <summary>What one in-process invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- err ---\n{Error}";
}

/// <summary>Runs the CLI's entry point in-process with captured output, fixed AWS credentials and no ambient configuration.</summary>
public static class CliRun
{
    public const string AccessKey = "AKIDCLITESTS";
    public const string SecretKey = "cli-tests-secret-key";
    public const string Region = "eu-west-1";

    /// <summary>The harness's workers store plain payloads unless a test passes a codec, so the CLI reads them plain by default.</summary>
    public static readonly IReadOnlyDictionary<string, string?> PlainPayloads = new Dictionary<string, string?> { ["Encryption:Enabled"] = "false" };

    /// <param name="input">What a person answers to the CLI's questions; null: nobody is there to answer (as in a script).</param>
    public static async Task<CliResult> RunAsync(
        string[] args, Action<RerunOutcome>? onRerun = null, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string?>? settings = null, string? input = null)
    {
        using var answers = input is null ? null : new StringReader(input);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(output, error)
        {
            AwsCredentials = new BasicAWSCredentials(AccessKey, SecretKey),
            AwsRegion = Region,
            ResendDelay = TimeSpan.Zero,
            ReadAmbientConfiguration = false,
            Settings = settings ?? PlainPayloads,
            OnRerunOutcome = onRerun,
            In = answers,
        };
        var exit = await CliApp.RunAsync(args, environment, cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null, CancellationToken.None);
}
