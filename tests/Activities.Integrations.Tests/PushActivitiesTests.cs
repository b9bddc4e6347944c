using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventProcessor.Activities.Integrations.Tests.Support;
using EventProcessor.Activities.Push;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Converters;
using Temporalio.Testing;
using WireMock.Server;

namespace EventProcessor.Activities.Integrations.Tests;

public sealed class PushActivitiesTests : IDisposable
{
    private const string ProjectUuid = "3f2b8c1e-7a4d-4c3b-9e1f-2a5b6c7d8e9f";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero));
    private readonly ServiceHarness product;
    private readonly PusherStub stub;
    private readonly List<object?[]> heartbeats = [];

    public PushActivitiesTests()
    {
        product = new ServiceHarness(time, (services, configuration) => services.AddPusher(configuration));
        stub = new PusherStub(server, time: time);
    }

    public void Dispose()
    {
        product.Dispose();
        server.Stop();
        server.Dispose();
    }

    [Fact]
    public async Task Trigger_posts_the_event_signed_with_a_signature_computed_independently()
    {
        var message = PushMessage.ForProject(ProjectUuid, "report-stop-progress", new { reportId = "r-1", runId = "run-9", status = "stopped", percent = 100, seq = 7 });

        var result = await Run(a => a.TriggerAsync(message));

        var request = Assert.Single(server.ReceivedRequests(stub.EventsPath, "POST"));
        const string body = """{"name":"report-stop-progress","channels":["project-3f2b8c1e-7a4d-4c3b-9e1f-2a5b6c7d8e9f"],"data":"{\"reportId\":\"r-1\",\"runId\":\"run-9\",\"status\":\"stopped\",\"percent\":100,\"seq\":7}"}""";
        Assert.Equal(body, request.Body);
        Assert.StartsWith("application/json", StubJson.Header(request, "Content-Type"), StringComparison.Ordinal);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(PusherStub.DefaultKey, StubJson.Query(request, "auth_key"));
        Assert.Equal(timestamp, StubJson.Query(request, "auth_timestamp"));
        Assert.Equal("1.0", StubJson.Query(request, "auth_version"));
        Assert.Equal(IndependentMd5(body), StubJson.Query(request, "body_md5"));
        Assert.Equal(
            IndependentSignature(PusherStub.DefaultSecret, $"POST\n{stub.EventsPath}\nauth_key={PusherStub.DefaultKey}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={IndependentMd5(body)}"),
            StubJson.Query(request, "auth_signature"));
        Assert.Equal(new PushResult(EventsSent: 1, Requests: 1), result);
        var received = Assert.Single(stub.EventsOn($"project-{ProjectUuid}"));
        Assert.Equal(100, received.Payload!["percent"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_request_matches_pushers_published_worked_example_byte_for_byte()
    {
        // Pusher's HTTP API documentation signs this request with app 3, key 278d425bdf160c739803,
        // secret 7ad3773142a6692b25b8 at timestamp 1353088179.
        var exampleTime = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1353088179));
        using var example = WireMockServer.Start();
        var exampleStub = new PusherStub(example, "3", "278d425bdf160c739803", "7ad3773142a6692b25b8", exampleTime);
        using var exampleProduct = ServiceHarness.Start(
            Settings(example.Url!, appId: "3", key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8"),
            exampleTime,
            (services, configuration) => services.AddPusher(configuration));
        var activities = exampleProduct.Get<PushActivities>();

        await new ActivityEnvironment().RunAsync(() => activities.TriggerAsync(PushMessage.Create("project-3", "foo", new { some = "data" })));

        var request = Assert.Single(example.ReceivedRequests("/apps/3/events", "POST"));
        Assert.Equal("""{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}""", request.Body);
        Assert.Equal("ec365a775a4cd0599faeb73354201b6f", StubJson.Query(request, "body_md5"));
        Assert.Equal("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c", StubJson.Query(request, "auth_signature"));
        Assert.Single(exampleStub.Events);
    }

    [Fact]
    public void The_signer_alone_reproduces_the_published_example()
    {
        var body = Encoding.UTF8.GetBytes("""{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}""");

        var parameters = PusherSignature.SignedParameters(
            "278d425bdf160c739803", "7ad3773142a6692b25b8", "POST", "/apps/3/events", DateTimeOffset.FromUnixTimeSeconds(1353088179), body);

        Assert.Equal(
            "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f"
            + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c",
            string.Join('&', parameters.Select(p => $"{p.Key}={p.Value}")));
    }

    [Fact]
    public async Task A_batch_is_sent_in_chunks_of_ten_signed_over_each_body_and_records_progress()
    {
        var messages = Enumerable.Range(1, 23).Select(i => PushMessage.ForProject(ProjectUuid, "report-run-started", new { runId = $"run-{i}", percent = 0, seq = i })).ToList();

        var result = await Run(a => a.TriggerBatchAsync(messages));

        var requests = server.ReceivedRequests(stub.BatchEventsPath, "POST");
        Assert.Equal(3, requests.Count);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var request in requests)
        {
            var md5 = IndependentMd5(request.Body!);
            Assert.Equal(md5, StubJson.Query(request, "body_md5"));
            Assert.Equal(
                IndependentSignature(PusherStub.DefaultSecret, $"POST\n{stub.BatchEventsPath}\nauth_key={PusherStub.DefaultKey}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={md5}"),
                StubJson.Query(request, "auth_signature"));
        }

        Assert.StartsWith(
            $$"""{"batch":[{"channel":"project-{{ProjectUuid}}","name":"report-run-started","data":"{\"runId\":\"run-1\",\"percent\":0,\"seq\":1}"},""",
            requests[0].Body,
            StringComparison.Ordinal);
        Assert.Equal([10, 10, 3], requests.Select(r => StubJson.Body(r)!["batch"]!.AsArray().Count));
        Assert.Equal(Enumerable.Range(1, 23).Select(i => $"run-{i}"), stub.Events.Select(e => e.Payload!["runId"]!.GetValue<string>()));
        Assert.Equal([new PushBatchProgress(1, 23), new PushBatchProgress(2, 23), new PushBatchProgress(3, 23)], heartbeats.Select(h => Assert.Single(h)));
        Assert.Equal(new PushResult(EventsSent: 23, Requests: 3, EventsAlreadySent: 0), result);
    }

    [Fact]
    public async Task A_retried_batch_resumes_after_the_chunks_the_failed_attempt_had_sent()
    {
        var messages = Enumerable.Range(1, 23).Select(i => PushMessage.ForProject(ProjectUuid, "crawler-summary", new { runId = $"run-{i}", seq = i })).ToList();

        // Pusher accepts the first chunk, then fails: the activity fails retryably after one heartbeat.
        await Failures.ExpectAsync(
            () => Run(a => a.TriggerBatchAsync(messages), onHeartbeat: () => server.FailNext(stub.BatchEventsPath, 503, "Service Unavailable")),
            "PusherServerError",
            retryable: true);
        var progress = Assert.IsType<PushBatchProgress>(Assert.Single(Assert.Single(heartbeats)));

        var result = await Run(a => a.TriggerBatchAsync(messages), attempt: 2, heartbeat: progress);

        Assert.Equal(new PushResult(EventsSent: 13, Requests: 2, EventsAlreadySent: 10), result);
        Assert.Equal(Enumerable.Range(1, 23).Select(i => $"run-{i}"), stub.Events.Select(e => e.Payload!["runId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Data_of_exactly_10_KB_is_sent_and_one_byte_more_is_refused_before_sending()
    {
        // JSON-encoded, a string of n characters takes n + 2 bytes (its quotes).
        await Run(a => a.TriggerAsync(PushMessage.Create("project-1", "big", new string('x', 10238))));

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.TriggerBatchAsync([PushMessage.Create("project-1", "small", 1), PushMessage.Create("project-1", "big", new string('x', 10239))])),
            "PusherPayloadTooLarge",
            retryable: false);

        Assert.Contains("10241 bytes", failure.Message, StringComparison.Ordinal);
        Assert.Single(stub.Events);
        Assert.Empty(server.ReceivedRequests(stub.BatchEventsPath));
    }

    [Theory]
    [InlineData("project 1", "ok")]
    [InlineData("presence:project-1", "ok")]
    [InlineData("project-1", "pusher:internal")]
    [InlineData("project-1", "")]
    public async Task Invalid_channel_or_event_names_are_refused_before_sending(string channel, string eventName)
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.Create(channel, eventName, new { seq = 1 }))), "PusherInvalidRequest", retryable: false);

        Assert.Contains("not a valid Pusher", failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_wrong_secret_gets_pushers_401_as_a_permanent_failure_without_leaking_the_secret_or_signature()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.ForProject(ProjectUuid, "report-canceled", new { seq = 1 })), secret: "not-the-secret-42"),
            "PusherUnauthorized",
            retryable: false);

        Assert.Contains("Invalid signature", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-42", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("auth_signature=", failure.Message, StringComparison.Ordinal);
        Assert.Empty(stub.Events);
    }

    [Fact]
    public async Task An_unknown_app_gets_pushers_404_as_a_permanent_failure()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.ForProject(ProjectUuid, "report-canceled", new { seq = 1 })), appId: "999"),
            "PusherNotFound",
            retryable: false);

        Assert.Contains("Unknown app", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FailureCase.Standard), MemberType = typeof(FailureCase))]
    public async Task Http_failures_map_to_temporal_failures(FailureCase failureCase)
    {
        ArgumentNullException.ThrowIfNull(failureCase);
        var (body, message) = Failures.ErrorBody("Pusher", failureCase.Status);
        server.FailNext(stub.EventsPath, failureCase.Status, body, failureCase.RetryAfterSeconds);

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.ForProject(ProjectUuid, "report-canceled", new { seq = 1 }))),
            $"Pusher{failureCase.Kind}",
            failureCase.Retryable,
            failureCase.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"trigger of 'report-canceled' on project-{ProjectUuid}", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Pusher's HTTP API reference: "the data content of this event exceeds the allowed maximum
    /// (10240 bytes)" is answered 413. The stand-in does the same to a signed request that bypasses
    /// the activity's own check, so the check above guards against a real refusal.
    /// </summary>
    [Fact]
    public async Task The_stand_in_answers_413_to_data_over_10_KB_as_Pusher_does()
    {
        var api = product.Build(Settings(server.Url!, PusherStub.DefaultAppId)).GetRequiredService<IPusherApi>();

        var failure = await Failures.ExpectAsync(
            () => api.TriggerAsync(PusherStub.DefaultAppId, new PusherEvent("big", ["project-1"], new string('x', 10_241)), "oversized trigger"),
            "PusherPayloadTooLarge",
            retryable: false);

        Assert.Contains("10240 bytes", failure.Message, StringComparison.Ordinal);
        Assert.Empty(stub.Events);
    }

    [Fact]
    public async Task A_413_from_pusher_is_permanent()
    {
        server.FailNext(stub.EventsPath, 413, "Payload too large");

        await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.ForProject(ProjectUuid, "report-canceled", new { seq = 1 }))), "PusherPayloadTooLarge", retryable: false);
    }

    [Fact]
    public async Task A_timeout_is_retryable()
    {
        server.StallNext(stub.EventsPath, TimeSpan.FromSeconds(2));

        await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.ForProject(ProjectUuid, "report-canceled", new { seq = 1 })), timeoutSeconds: 1),
            "PusherTimeout",
            retryable: true);
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        await Failures.ExpectAsync(
            () => Run(a => a.TriggerAsync(PushMessage.ForProject(ProjectUuid, "report-canceled", new { seq = 1 })), baseUrl: StubServerExtensions.ClosedLoopbackUrl().ToString()),
            "PusherUnreachable",
            retryable: true);
    }

    /// <summary>A straightforward MD5, written apart from the client's signer.</summary>
    private static string IndependentMd5(string body)
    {
#pragma warning disable CA5351 // Pusher's protocol uses MD5 as a body checksum.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(body));
#pragma warning restore CA5351
        return string.Concat(hash.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static string IndependentSignature(string secret, string stringToSign)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static Dictionary<string, string?> Settings(
        string baseUrl, string appId = PusherStub.DefaultAppId, string key = PusherStub.DefaultKey, string secret = PusherStub.DefaultSecret, int timeoutSeconds = 10) => new()
        {
            ["Pusher:AppId"] = appId,
            ["Pusher:Key"] = key,
            ["Pusher:Secret"] = secret,
            ["Pusher:Cluster"] = "eu",
            ["Pusher:BaseUrl"] = baseUrl,
            ["Pusher:TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };

    private async Task<T> Run<T>(
        Func<PushActivities, Task<T>> activity,
        int attempt = 1,
        object? heartbeat = null,
        Action? onHeartbeat = null,
        string appId = PusherStub.DefaultAppId,
        string secret = PusherStub.DefaultSecret,
        string? baseUrl = null,
        int timeoutSeconds = 10)
    {
        var activities = product.Build(Settings(baseUrl ?? server.Url!, appId, secret: secret, timeoutSeconds: timeoutSeconds))
            .GetRequiredService<PushActivities>();
        var environment = new ActivityEnvironment
        {
            Info = ActivityEnvironment.DefaultInfo with
            {
                Attempt = attempt,
                HeartbeatDetails = heartbeat is null ? [] : [DataConverter.Default.PayloadConverter.ToPayload(heartbeat)],
            },
            Heartbeater = details =>
            {
                heartbeats.Add(details);
                onHeartbeat?.Invoke();
            },
        };
        return await environment.RunAsync(() => activity(activities));
    }
}
