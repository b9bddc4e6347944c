using EventProcessor.DevHost;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Logging;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// README command 1 run in-process once for the tests of this class: every sample sent through
/// the intake, with the first platform read of the sample project's users answering 503 so a retried
/// activity failure shows in the metrics and the logs (the read of an event run, UserProjectAdded:
/// the project reads of search writes run in ProjectSearchSync runs, which serve many events). Fresh event ids keep it repeatable against a
/// long-lived server (TEMPORAL_ADDRESS).
/// </summary>
public sealed class LocalRunFixture : IAsyncLifetime
{
    public CapturedLogs Logs { get; } = new();

    public LocalRun Run { get; private set; } = null!;

    public IReadOnlyList<SampleResult> Results { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Run = await LocalRun.StartAsync(new LocalRunOptions
        {
            FreshEventIds = true,
            ArrangeWorld = d => d.Platform.FailNext(PlatformStub.ProjectUsersPath(SampleWorld.ProjectUuid), 503),
            ConfigureLogging = logging => logging.AddProvider(Logs),
        });
        Results = await Run.SendSamplesAsync();
    }

    public async Task DisposeAsync() => await Run.DisposeAsync();
}
