using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using EventProcessor.LambdaTrigger.Runtime;
using EventProcessor.LambdaTrigger.Tests.Support;

namespace EventProcessor.LambdaTrigger.Tests.Runtime;

/// <summary>The built <c>bootstrap</c> executable as Lambda runs it: configuration from environment variables only.</summary>
public sealed class BootstrapProcessTests
{
    // Run from their own build output: the test's output folder holds their entry points but not
    // the packages the test's ASP.NET Core framework already provides, which bootstrap does not load.
    private static readonly string Bootstrap = Built("LambdaTrigger", "bootstrap");

    // The intake's own host (src/Intake), which took over from bootstrap --intake.
    private static readonly string Intake = Built("Intake", "intake");

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
        using var process = Launch(Intake, new()
        {
            ["Temporal__Address"] = Endpoints.ClosedPort(),
            ["Encryption__CurrentKeyId"] = "2026-11",
            ["Encryption__Keys__2026-11"] = "not-a-key",
        }, "--urls", "http://127.0.0.1:0");

        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(FakeRuntimeApi.HangGuard);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("intake: Encryption:Keys:2026-11 (environment variable Encryption__Keys__2026-11) is malformed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_with_the_old_intake_flag_names_the_intake_host_and_exits_2()
    {
        using var process = Launch(Bootstrap, [], "--intake", "--urls", "http://127.0.0.1:0");

        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(FakeRuntimeApi.HangGuard);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("dotnet run --project src/Intake", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Lambda_the_process_explains_itself_and_exits_2()
    {
        using var process = Launch([]);

        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(FakeRuntimeApi.HangGuard);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API", error, StringComparison.Ordinal);
        Assert.Contains("src/Intake", error, StringComparison.Ordinal);
    }

    /// <summary>src/{project}/bin/{this test's configuration}/net10.0/{name}.</summary>
    private static string Built(string project, string name) =>
        Path.Combine(Samples.Root, "src", project, "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", name);

    private static Process Launch(Dictionary<string, string> environment, params string[] arguments) => Launch(Bootstrap, environment, arguments);

    private static Process Launch(string executable, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
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
