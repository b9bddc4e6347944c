using EventProcessor.Cli.Tests.Events;

namespace EventProcessor.Cli.Tests;

/// <summary>Nothing listening: one line naming what could not be reached, exit code 1, no stack trace.</summary>
public sealed class UnreachableTests
{
    private const string Closed = "127.0.0.1:1";

    [Fact]
    public async Task An_unreachable_Temporal_is_named_with_its_address_and_namespace()
    {
        var result = await CliRun.RunAsync("runs", "list", "--address", Closed, "--namespace", "prod");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains($"error: Cannot reach Temporal at {Closed} (namespace prod)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_intake_fails_each_event_as_safe_to_resend()
    {
        using var samples = new SampleFiles();

        var result = await CliRun.RunAsync("events", "send", samples.Path, "--intake", $"http://{Closed}");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains("FAILED  TicketCommentedEvent.json: intake unreachable, safe to resend:", result.Out, StringComparison.Ordinal);
        Assert.Contains($"0 accepted, {samples.Count} failed.", result.Out, StringComparison.Ordinal);
    }
}
