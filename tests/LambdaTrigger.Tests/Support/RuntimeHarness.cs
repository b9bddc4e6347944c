using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Runtime;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventProcessor.LambdaTrigger.Tests.Support;

/// <summary>The real bootstrap (init, then the loop) running in-process against a <see cref="FakeRuntimeApi"/>.</summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();

    private RuntimeHarness(FakeRuntimeApi api, Task<int> run)
    {
        Api = api;
        Run = run;
    }

    public FakeRuntimeApi Api { get; }

    /// <summary>The bootstrap's exit code once it ends.</summary>
    public Task<int> Run { get; private set; }

    /// <param name="secrets">The Parameters and Secrets extension to read secret references from; default: one on a closed port, so a test never reaches a real one.</param>
    public static async Task<RuntimeHarness> StartAsync(
        IDictionary<string, string?> settings, IWorkflowStarter? starter = null, bool breakNext = false, SecretsExtensionOptions? secrets = null)
    {
        var api = await FakeRuntimeApi.StartAsync();
        api.BreakNext = breakNext;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var harness = new RuntimeHarness(api, Task.FromResult(-1));
        harness.Run = Task.Run(() => LambdaBootstrap.RunAsync(
            configuration, api.RuntimeApi, NullLoggerFactory.Instance, secrets ?? FakeSecretsExtension.Unreachable(), harness.stop.Token, starter));
        return harness;
    }

    public static Dictionary<string, string?> Settings(string temporalAddress, string taskQueue = "trigger-tests", int marginMs = 200) => new()
    {
        ["Temporal:Address"] = temporalAddress,
        ["Temporal:TaskQueue"] = taskQueue,
        ["Temporal:StartMarginMilliseconds"] = marginMs.ToString(System.Globalization.CultureInfo.InvariantCulture),

        // Encryption is on unless switched off; these hosts' tests read what they start with a plain client.
        ["Encryption:Enabled"] = "false",
    };

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Run.WaitAsync(FakeRuntimeApi.HangGuard);
        }
        finally
        {
            await Api.DisposeAsync();
            stop.Dispose();
        }
    }
}
