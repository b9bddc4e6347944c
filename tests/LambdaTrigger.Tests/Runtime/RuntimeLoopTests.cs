using System.Diagnostics;
using System.Text.Json;
using EventProcessor.LambdaTrigger.Runtime;
using EventProcessor.LambdaTrigger.Starting;
using EventProcessor.LambdaTrigger.Tests.Support;

namespace EventProcessor.LambdaTrigger.Tests.Runtime;

/// <summary>
/// The real bootstrap and loop against a fake Runtime API on loopback. Not parallel with other
/// classes: the loop exports the trace id into the process environment.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class RuntimeLoopTests
{
    private const string TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";

    [Fact]
    public async Task A_valid_event_is_answered_on_the_response_path_with_the_workflow_and_run_ids()
    {
        var starter = RecordingStarter.Succeeding();
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);

        var requestId = runtime.Api.Enqueue(Samples.Valid("TicketCommentedEvent"), DateTimeOffset.UtcNow.AddSeconds(30), TraceId);
        var post = await runtime.Api.NextPostAsync();

        Assert.Equal("POST", post.Method);
        Assert.Equal($"/2018-06-01/runtime/invocation/{requestId}/response", post.Path);
        Assert.StartsWith("application/json", post.ContentType, StringComparison.Ordinal);
        Assert.Null(post.Header(RuntimeApiClient.ErrorTypeHeader));
        using var body = JsonDocument.Parse(post.Body);
        var started = Assert.Single(starter.Calls);
        Assert.Equal(started.WorkflowId, body.RootElement.GetProperty("workflowId").GetString());
        Assert.Equal("run-" + started.Envelope.Id, body.RootElement.GetProperty("runId").GetString());
        Assert.False(body.RootElement.GetProperty("duplicate").GetBoolean());
        Assert.Equal(TraceId, Environment.GetEnvironmentVariable(LambdaRuntimeLoop.TraceIdVariable));

        // The loop goes back for the next invocation.
        await runtime.Api.WaitForNextCallsAsync(2);
    }

    [Fact]
    public async Task A_poison_event_is_reported_as_PoisonEvent_with_the_validation_message_and_starts_nothing()
    {
        var starter = new RecordingStarter();
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);

        var requestId = runtime.Api.Enqueue(Samples.Invalid("missing-required-field"), DateTimeOffset.UtcNow.AddSeconds(30));
        var post = await runtime.Api.NextPostAsync();

        AssertError(post, requestId, RuntimeError.PoisonEvent, Samples.Expected("missing-required-field").Message);
        Assert.Empty(starter.Calls);
    }

    [Fact]
    public async Task Temporal_down_is_reported_as_TransientError_and_nothing_is_acknowledged()
    {
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()));

        var requestId = runtime.Api.Enqueue(Samples.Valid("ProjectUpdatedEvent"), DateTimeOffset.UtcNow.AddSeconds(20));
        var post = await runtime.Api.NextPostAsync(TimeSpan.FromSeconds(25));

        AssertError(post, requestId, RuntimeError.TransientError, "was not started: could not connect to Temporal");
        Assert.Empty(runtime.Api.DrainPosts());
    }

    [Fact]
    public async Task A_Temporal_that_never_answers_is_given_up_on_before_the_deadline_as_TransientError()
    {
        using var silent = new SilentServer();
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(silent.Address, marginMs: 800));

        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(2500);
        var requestId = runtime.Api.Enqueue(Samples.Valid("ProjectUpdatedEvent"), deadline);
        var post = await runtime.Api.NextPostAsync();

        Assert.True(DateTimeOffset.UtcNow < deadline, "the error must reach Lambda before the invocation times out");
        AssertError(post, requestId, RuntimeError.TransientError, "did not answer within");
    }

    [Fact]
    public async Task An_invocation_whose_deadline_is_nearly_reached_fails_at_once_as_TransientError_without_calling_Temporal()
    {
        var starter = new RecordingStarter();
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort(), marginMs: 500), starter);

        var requestId = runtime.Api.Enqueue(Samples.Valid("ProjectUpdatedEvent"), DateTimeOffset.UtcNow.AddMilliseconds(200));
        var post = await runtime.Api.NextPostAsync();

        AssertError(post, requestId, RuntimeError.TransientError, "no time is left before the deadline");
        Assert.Empty(starter.Calls);
    }

    [Fact]
    public async Task A_start_that_fails_in_a_way_nobody_mapped_is_reported_as_TransientError()
    {
        var starter = new RecordingStarter((_, _) => Task.FromException<WorkflowStartResult>(new InvalidOperationException("Cancelled")));
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);

        var requestId = runtime.Api.Enqueue(Samples.Valid("ProjectUpdatedEvent"), DateTimeOffset.UtcNow.AddSeconds(30));

        AssertError(await runtime.Api.NextPostAsync(), requestId, RuntimeError.TransientError, "starting failed unexpectedly (InvalidOperationException: Cancelled)");
    }

    [Fact]
    public async Task A_failing_invocation_does_not_stop_the_loop()
    {
        var starter = RecordingStarter.Succeeding();
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);

        var poison = runtime.Api.Enqueue(Samples.Invalid("unknown-detail-type"), DateTimeOffset.UtcNow.AddSeconds(30));
        var valid = runtime.Api.Enqueue(Samples.Valid("UserCreatedEvent"), DateTimeOffset.UtcNow.AddSeconds(30));

        Assert.EndsWith($"/{poison}/error", (await runtime.Api.NextPostAsync()).Path, StringComparison.Ordinal);
        Assert.EndsWith($"/{valid}/response", (await runtime.Api.NextPostAsync()).Path, StringComparison.Ordinal);
        Assert.Null(Environment.GetEnvironmentVariable(LambdaRuntimeLoop.TraceIdVariable));
    }

    [Theory]
    [InlineData(null, "Temporal:Address")]
    [InlineData("http://localhost:7233", "Temporal:Address")]
    [InlineData("localhost:not-a-port", "Temporal:Address")]
    public async Task Bad_configuration_fails_init_through_init_error_naming_the_setting_and_never_asks_for_an_event(string? address, string setting)
    {
        var settings = RuntimeHarness.Settings(address ?? string.Empty);
        await using var runtime = await RuntimeHarness.StartAsync(settings);

        var post = await runtime.Api.NextPostAsync();

        Assert.Equal(1, await runtime.Run.WaitAsync(FakeRuntimeApi.HangGuard));
        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Equal(RuntimeError.InvalidConfiguration, post.Header(RuntimeApiClient.ErrorTypeHeader));
        Assert.StartsWith("application/json", post.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(RuntimeError.InvalidConfiguration, body.RootElement.GetProperty("errorType").GetString());
        var message = body.RootElement.GetProperty("errorMessage").GetString()!;
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.Equal(0, runtime.Api.NextCalls);
    }

    [Theory]
    [InlineData("Encryption:Keys:2026-11", "not base64!", "is malformed")]
    [InlineData("Encryption:Keys:2026-11", "c2hvcnQ=", "has the wrong length")]
    [InlineData("Encryption:CurrentKeyId", null, "is required")]
    public async Task A_bad_encryption_key_fails_init_through_init_error_naming_the_setting(string setting, string? value, string problem)
    {
        var settings = RuntimeHarness.Settings(Endpoints.ClosedPort());
        settings.Remove("Encryption:Enabled");
        if (value is not null)
        {
            settings["Encryption:CurrentKeyId"] = "2026-11";
            settings[setting] = value;
        }

        await using var runtime = await RuntimeHarness.StartAsync(settings);

        var post = await runtime.Api.NextPostAsync();

        Assert.Equal(1, await runtime.Run.WaitAsync(FakeRuntimeApi.HangGuard));
        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Equal(RuntimeError.InvalidConfiguration, post.Header(RuntimeApiClient.ErrorTypeHeader));
        using var body = JsonDocument.Parse(post.Body);
        var message = body.RootElement.GetProperty("errorMessage").GetString()!;
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
        Assert.DoesNotContain(value ?? "\0", message, StringComparison.Ordinal);
        Assert.Equal(0, runtime.Api.NextCalls);
    }

    [Fact]
    public async Task A_client_certificate_without_its_key_fails_init_naming_the_key_setting()
    {
        var cert = Path.GetTempFileName();
        try
        {
            var settings = RuntimeHarness.Settings("temporal.example:7233");
            settings["Temporal:Tls:ClientCertPath"] = cert;
            await using var runtime = await RuntimeHarness.StartAsync(settings);

            var post = await runtime.Api.NextPostAsync();

            Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
            Assert.Contains("Temporal:Tls:ClientKeyPath", post.Body, StringComparison.Ordinal);
            Assert.Equal(1, await runtime.Run.WaitAsync(FakeRuntimeApi.HangGuard));
        }
        finally
        {
            File.Delete(cert);
        }
    }

    [Fact]
    public async Task A_broken_Runtime_API_ends_the_process_with_exit_code_3()
    {
        await using var runtime = await RuntimeHarness.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), breakNext: true);

        Assert.Equal(3, await runtime.Run.WaitAsync(FakeRuntimeApi.HangGuard));
        Assert.Equal(1, runtime.Api.NextCalls);
        Assert.Empty(runtime.Api.DrainPosts());
    }

    internal static void AssertError(RuntimeRequest post, string requestId, string errorType, string messagePart)
    {
        Assert.Equal("POST", post.Method);
        Assert.Equal($"/2018-06-01/runtime/invocation/{requestId}/error", post.Path);
        Assert.Equal(errorType, post.Header(RuntimeApiClient.ErrorTypeHeader));
        Assert.StartsWith("application/json", post.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(errorType, body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains(messagePart, body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
