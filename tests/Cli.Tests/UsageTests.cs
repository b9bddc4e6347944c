namespace EventProcessor.Cli.Tests;

/// <summary>Invalid arguments: one clear line on stderr, a non-zero exit, nothing done.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("error: Option '--reason' is required.", "runs", "rerun", "wf-1")]
    [InlineData("error: say which runs to re-run", "runs", "rerun", "--reason", "x")]
    [InlineData("error: say which runs to re-run", "runs", "rerun", "--reason", "x", "--status", "Failed")]
    [InlineData("error: name runs either by workflow id or by --query/filters, not both.", "runs", "rerun", "wf-1", "--reason", "x", "--ticket", "SUP-1")]
    [InlineData("error: --status 'Broken' is not an execution status", "runs", "list", "--status", "Broken")]
    [InlineData("error: --current and --all-runs exclude each other", "runs", "list", "--current", "--all-runs")]
    [InlineData("error: --type 'NoSuch' is not an event type of the catalog", "runs", "list", "--type", "NoSuch")]
    [InlineData("error: --since 'yesterday' is neither a date-time", "runs", "list", "--since", "yesterday")]
    [InlineData("error: --ticket 'SUP-1' OR 1=1' must not contain quotes.", "runs", "list", "--ticket", "SUP-1' OR 1=1")]
    [InlineData("error: --rate must be a positive number", "runs", "rerun", "wf-1", "--reason", "x", "--rate", "0")]
    [InlineData("error: --limit must be at least 1, not 0.", "runs", "rerun", "--report", "r", "--reason", "x", "--limit", "0")]
    [InlineData("error: --limit must be at least 1, not -3.", "runs", "list", "--limit", "-3")]
    [InlineData("error: --since (2026-11-25T10:00:00.0000000+00:00) is after --until", "runs", "list", "--since", "2026-11-25T10:00:00Z", "--until", "2026-11-25T09:00:00Z")]
    [InlineData("Temporal:Address (environment variable Temporal__Address) must be host:port", "runs", "list", "--address", "http://temporal:7233")]
    [InlineData("error: say where to send: exactly one of --intake URL or --bus NAME.", "events", "send", ".")]
    [InlineData("error: --intake 'ftp://x' is not an http(s) URL", "events", "send", ".", "--intake", "ftp://x")]
    [InlineData("error: '/no/such/path' is neither a file nor a directory.", "events", "validate", "/no/such/path")]
    [InlineData("error: Option '--queue' is required.", "events", "redrive", "--intake", "http://localhost:1")]
    [InlineData("error: Unrecognized command or argument 'frobnicate'.", "runs", "frobnicate")]
    [InlineData("error: Argument 'middle' not recognized. Must be one of:", "runs", "rerun", "wf-1", "--reason", "x", "--from", "middle")]
    public async Task Invalid_arguments_give_a_clear_message_and_exit_code_2(string expected, params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The help says what the filters select by default; RunsRerunTests' dry run with --report alone checks the behaviour.</summary>
    [Fact]
    public async Task Rerun_help_states_the_default_selection_and_the_reset_points()
    {
        var result = await CliRun.RunAsync("runs", "rerun", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        var help = string.Join(' ', result.Out.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("select the runs that Failed or TimedOut unless --status is given or the --query names ExecutionStatus", help, StringComparison.Ordinal);
        Assert.Contains("need at least one filter besides --status", help, StringComparison.Ordinal);
        Assert.Contains("failure (default): just before the step that failed", help, StringComparison.Ordinal);
    }
}
