using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using EventProcessor.LambdaTrigger.Runtime;
using EventProcessor.LambdaTrigger.Tests.Support;

namespace EventProcessor.LambdaTrigger.Tests.Runtime;

/// <summary>The built <c>bootstrap</c> executable as Lambda runs it: configuration from environment variables only.</summary>
public sealed class BootstrapProcessTests
{
    private static readonly string Bootstrap = Path.Combine(AppContext.BaseDirectory, "bootstrap");

    [Fact]
    public async Task Without_Temporal__Address_the_process_reports_init_error_and_exits_1()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Launch(new() { [LambdaBootstrap.RuntimeApiVariable] = api.RuntimeApi });

        var post = await api.NextPostAsync();
        await process.WaitForExitAsync().WaitAsync(FakeRuntimeApi.HangGuard);

        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Equal(RuntimeError.InvalidConfiguration, post.Header(RuntimeApiClient.ErrorTypeHeader));
        Assert.Contains("Temporal__Address", JsonDocument.Parse(post.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, process.ExitCode);
        Assert.Equal(0, api.NextCalls);
    }

    [Fact]
    public async Task The_process_reads_its_configuration_from_the_environment_and_answers_through_the_loop()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Launch(new()
        {
            [LambdaBootstrap.RuntimeApiVariable] = api.RuntimeApi,
            ["Temporal__Address"] = Endpoints.ClosedPort(),
            ["Encryption__CurrentKeyId"] = "test",
            ["Encryption__Keys__test"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Events__AllowedSources__UserCreatedEvent"] = "only-this-source,another-source",
        });
        try
        {
            // The sample's own source is allowed by default; the environment narrowed it.
            var poison = api.Enqueue(Samples.Valid("UserCreatedEvent"), DateTimeOffset.UtcNow.AddSeconds(30));
            RuntimeLoopTests.AssertError(await api.NextPostAsync(), poison, RuntimeError.PoisonEvent, "(allowed: another-source, only-this-source)");

            // Temporal__Address is a closed port: a valid event is not acknowledged.
            var transient = api.Enqueue(Samples.Valid("ProjectCreatedEvent"), DateTimeOffset.UtcNow.AddSeconds(30));
            RuntimeLoopTests.AssertError(await api.NextPostAsync(), transient, RuntimeError.TransientError, "could not connect to Temporal");
            await api.WaitForNextCallsAsync(3);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_malformed_encryption_key_makes_the_intake_exit_1_naming_the_setting()
    {
        using var process = Launch(new()
        {
            ["Temporal__Address"] = Endpoints.ClosedPort(),
            ["Encryption__CurrentKeyId"] = "2026-11",
            ["Encryption__Keys__2026-11"] = "not-a-key",
        }, "--intake", "--urls", "http://127.0.0.1:0");

        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(FakeRuntimeApi.HangGuard);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("bootstrap --intake: Encryption:Keys:2026-11 (environment variable Encryption__Keys__2026-11) is malformed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Lambda_the_process_explains_itself_and_exits_2()
    {
        using var process = Launch([]);

        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(FakeRuntimeApi.HangGuard);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API", error, StringComparison.Ordinal);
        Assert.Contains("--intake", error, StringComparison.Ordinal);
    }

    private static Process Launch(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Bootstrap, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Temporal__", StringComparison.Ordinal) || k.StartsWith("Encryption__", StringComparison.Ordinal) || k == LambdaBootstrap.RuntimeApiVariable).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
