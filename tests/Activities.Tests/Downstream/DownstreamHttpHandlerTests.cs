using System.Globalization;
using System.Net;
using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Tests.Support;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Exceptions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Activities.Tests.Downstream;

/// <summary>
/// The exhaustive mapping of HTTP outcomes to Temporal failures, through a real HttpClient against
/// WireMock on loopback. Every case asserts retryable or not, the error type, the delay and the message.
/// </summary>
public sealed class DownstreamHttpHandlerTests : IDisposable
{
    private const string Path = "/rest/api/3/issue/SUP-1234/watchers";
    private const string Operation = "fetch watchers of SUP-1234";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FakeTimeProvider time = new(TestTimes.Now);

    [Theory]
    [InlineData(400, "Bad Request", "JiraBadRequest")]
    [InlineData(401, "Unauthorized", "JiraUnauthorized")]
    [InlineData(403, "Forbidden", "JiraForbidden")]
    [InlineData(404, "Not Found", "JiraNotFound")]
    [InlineData(405, "Method Not Allowed", "JiraMethodNotAllowed")]
    [InlineData(409, "Conflict", "JiraConflict")]
    [InlineData(413, "Payload Too Large", "JiraPayloadTooLarge")]
    [InlineData(423, "Locked", "JiraLocked")]
    public async Task Client_errors_are_permanent_and_name_the_api_the_operation_and_the_apis_message(int status, string reason, string errorType)
    {
        server.FailNext(Path, status, """{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}""");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.True(failure.NonRetryable);
        Assert.Equal(errorType, failure.ErrorType);
        Assert.Null(failure.NextRetryDelay);
        Assert.StartsWith($"Jira answered {status} {reason} to {Operation}: Issue does not exist or you do not have permission to see it.", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "(the configured credentials were refused: check the secret).")]
    [InlineData(403, "(the configured account lacks permission for this).")]
    [InlineData(404, "(it does not exist, or the account cannot see it).")]
    public async Task Permanent_failures_a_support_person_can_act_on_carry_a_hint(int status, string hint)
    {
        server.FailNext(Path, status, """{"errorMessages":["Nope."],"errors":{}}""");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.EndsWith($"Nope. {hint}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubSpot_423_is_retried_after_at_least_two_seconds()
    {
        server.FailNext(Path, 423, """{"status":"error","message":"Locked","category":"LOCKED"}""");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.HubSpot));

        Assert.False(failure.NonRetryable);
        Assert.Equal("HubSpotLocked", failure.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(2), failure.NextRetryDelay);
        Assert.Contains("Locked (LOCKED); Temporal will retry after 2 s.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubSpot_423_keeps_a_longer_Retry_After()
    {
        server.FailNext(Path, 423, retryAfterSeconds: 9);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.HubSpot));

        Assert.Equal(TimeSpan.FromSeconds(9), failure.NextRetryDelay);
    }

    [Fact]
    public async Task HubSpot_477_migration_is_retried_after_its_Retry_After()
    {
        server.FailNext(Path, 477, """{"status":"error","message":"Portal is being migrated"}""", retryAfterSeconds: 3600);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.HubSpot));

        Assert.False(failure.NonRetryable);
        Assert.Equal("HubSpotMigrating", failure.ErrorType);
        Assert.Equal(TimeSpan.FromHours(1), failure.NextRetryDelay);
    }

    [Fact]
    public async Task Rate_limit_with_Retry_After_seconds_is_retried_after_that_delay()
    {
        server.FailNext(Path, 429, """{"errorMessages":["Rate limit exceeded."],"errors":{}}""", retryAfterSeconds: 30);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.False(failure.NonRetryable);
        Assert.Equal("JiraRateLimited", failure.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.NextRetryDelay);
        Assert.Equal($"Jira answered 429 Too Many Requests to {Operation}: Rate limit exceeded.; Temporal will retry after 30 s.", failure.Message);
    }

    [Fact]
    public async Task Rate_limit_with_Retry_After_as_an_http_date_is_retried_at_that_date()
    {
        var at = TestTimes.Now.AddSeconds(45).ToString("R", CultureInfo.InvariantCulture);
        server.FailNext(Path, 429, headers: new Dictionary<string, string> { ["Retry-After"] = at });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.Equal(TimeSpan.FromSeconds(45), failure.NextRetryDelay);
    }

    [Fact]
    public async Task Rate_limit_with_an_ISO_X_RateLimit_Reset_is_retried_at_the_reset()
    {
        var at = TestTimes.Now.AddMinutes(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        server.FailNext(Path, 429, headers: new Dictionary<string, string> { ["X-RateLimit-Reset"] = at, ["RateLimit-Reason"] = "jira-burst-based" });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.Equal(TimeSpan.FromMinutes(2), failure.NextRetryDelay);
    }

    [Fact]
    public async Task Rate_limit_with_a_Unix_X_RateLimit_Reset_is_retried_at_the_reset()
    {
        var at = TestTimes.Now.AddSeconds(12).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        server.FailNext(Path, 429, """{"message":"Too many requests","status":429}""", headers: new Dictionary<string, string> { ["x-ratelimit-reset"] = at });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Algolia));

        Assert.Equal("AlgoliaRateLimited", failure.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(12), failure.NextRetryDelay);
    }

    [Fact]
    public async Task Retry_After_wins_over_X_RateLimit_Reset()
    {
        var reset = TestTimes.Now.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        server.FailNext(Path, 429, retryAfterSeconds: 4, headers: new Dictionary<string, string> { ["X-RateLimit-Reset"] = reset });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.Equal(TimeSpan.FromSeconds(4), failure.NextRetryDelay);
    }

    // Temporal replaces the maximum interval with an application's delay, so a zero delay would
    // end the retries on the first rate limit: a wait that is over is passed on as no delay.
    [Fact]
    public async Task Rate_limit_with_Retry_After_zero_is_retried_with_Temporals_backoff()
    {
        server.FailNext(Path, 429, headers: new Dictionary<string, string> { ["Retry-After"] = "0" });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.False(failure.NonRetryable);
        Assert.Null(failure.NextRetryDelay);
        Assert.EndsWith("; Temporal will retry.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_with_a_Retry_After_date_in_the_past_is_retried_with_Temporals_backoff()
    {
        var at = TestTimes.Now.AddSeconds(-20).ToString("R", CultureInfo.InvariantCulture);
        server.FailNext(Path, 429, headers: new Dictionary<string, string> { ["Retry-After"] = at });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.Null(failure.NextRetryDelay);
    }

    [Fact]
    public async Task Rate_limit_with_a_reset_already_past_is_retried_with_Temporals_backoff()
    {
        // Our clock a few seconds ahead of Algolia's: its reset time is already past here.
        var at = TestTimes.Now.AddSeconds(-3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        server.FailNext(Path, 429, """{"message":"Too many requests","status":429}""", headers: new Dictionary<string, string> { ["x-ratelimit-reset"] = at });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Algolia));

        Assert.False(failure.NonRetryable);
        Assert.Null(failure.NextRetryDelay);
        Assert.EndsWith("; Temporal will retry.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubSpot_DAILY_policy_waits_until_midnight_in_the_account_time_zone()
    {
        // 12:00 UTC is 07:00 at UTC-5: the next local midnight is 17 hours away.
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/UTC-5", TimeSpan.FromHours(-5), "UTC-5", "UTC-5");
        server.FailNext(Path, 429, """{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c-1","policyName":"DAILY"}""", retryAfterSeconds: 10);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.HubSpot, zone: zone));

        Assert.False(failure.NonRetryable);
        Assert.Equal("HubSpotRateLimited", failure.ErrorType);
        Assert.Equal(TimeSpan.FromHours(17), failure.NextRetryDelay);
        Assert.Contains("You have reached your daily limit.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubSpot_ten_secondly_policy_is_retried_with_Temporals_backoff()
    {
        server.FailNext(Path, 429, """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}""");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.HubSpot));

        Assert.False(failure.NonRetryable);
        Assert.Null(failure.NextRetryDelay);
        Assert.EndsWith("; Temporal will retry.", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408, "JiraRequestTimeout")]
    [InlineData(500, "JiraServerError")]
    [InlineData(502, "JiraServerError")]
    [InlineData(504, "JiraServerError")]
    public async Task Server_errors_are_retryable_without_a_delay(int status, string errorType)
    {
        server.FailNext(Path, status, """{"errorMessages":["Internal server error."],"errors":{}}""");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.False(failure.NonRetryable);
        Assert.Equal(errorType, failure.ErrorType);
        Assert.Null(failure.NextRetryDelay);
        Assert.Contains($"Jira answered {status} ", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("Internal server error.; Temporal will retry.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_unavailable_with_Retry_After_is_retried_after_that_delay()
    {
        server.FailNext(Path, 503, retryAfterSeconds: 20);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira));

        Assert.False(failure.NonRetryable);
        Assert.Equal("JiraServerError", failure.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(20), failure.NextRetryDelay);
        Assert.Equal($"Jira answered 503 Service Unavailable to {Operation}; Temporal will retry after 20 s.", failure.Message);
    }

    [Fact]
    public async Task A_call_slower_than_the_timeout_is_a_retryable_timeout()
    {
        server.StallNext(Path, TimeSpan.FromSeconds(2));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Jira, timeout: TimeSpan.FromMilliseconds(200)));

        Assert.False(failure.NonRetryable);
        Assert.Equal("JiraTimeout", failure.ErrorType);
        Assert.Equal($"Jira did not answer within 0.2 s ({Operation}); Temporal will retry.", failure.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_retryable_unreachable()
    {
        var closed = StubServerExtensions.ClosedLoopbackUrl();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SendAsync(DownstreamApi.Platform, baseUrl: closed.ToString()));

        Assert.False(failure.NonRetryable);
        Assert.Equal("PlatformUnreachable", failure.ErrorType);
        Assert.StartsWith($"Platform could not be reached ({Operation}): ", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("; Temporal will retry.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stays_a_cancellation()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Given(Request.Create().WithPath(Path).UsingGet()).RespondWith(Response.Create().WithCallback(async _ =>
        {
            received.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(2));
            return new WireMock.ResponseMessage { StatusCode = 200 };
        }));
        using var cancellation = new CancellationTokenSource();

        var call = SendAsync(DownstreamApi.Jira, cancellationToken: cancellation.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => call);
        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
    }

    [Fact]
    public async Task Messages_never_carry_the_query_string_or_the_credentials()
    {
        server.FailNext(Path, 400, """{"errorMessages":["Bad request"],"errors":{}}""");
        using var client = Client(DownstreamApi.Pusher, TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, Path + "?auth_key=key-1&auth_signature=0123456789abcdef&api_token=s3cr3t");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "top-secret-token");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => client.SendAsync(request));

        Assert.Equal($"Pusher answered 400 Bad Request to GET {Path}: Bad request.", failure.Message);
        Assert.DoesNotContain("0123456789abcdef", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret-token", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_text_error_body_is_quoted_as_it_is()
    {
        server.FailNext(Path, 401, headers: new Dictionary<string, string> { ["Content-Type"] = "text/plain" });
        server.Given(Request.Create().WithPath("/apps/1/events").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("Invalid signature: you should have sent HmacSHA256Hex(...)"));
        using var client = Client(DownstreamApi.Pusher, TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/apps/1/events").Describe("trigger report-run-started on project-p1");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => client.SendAsync(request));

        Assert.Equal("PusherUnauthorized", failure.ErrorType);
        Assert.Contains("to trigger report-run-started on project-p1: Invalid signature: you should have sent HmacSHA256Hex(...)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_status_is_handed_back_to_the_caller()
    {
        server.FailNext(Path, 404, """{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}""");
        using var client = Client(DownstreamApi.Jira, TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, Path).Describe(Operation).AllowStatus(404);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Allowing_one_status_does_not_allow_others()
    {
        server.FailNext(Path, 409, """{"errorMessages":["Conflict"],"errors":{}}""");
        using var client = Client(DownstreamApi.Jira, TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, Path).Describe(Operation).AllowStatus(404);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => client.SendAsync(request));

        Assert.Equal("JiraConflict", failure.ErrorType);
    }

    [Fact]
    public async Task Success_passes_through_untouched()
    {
        server.Given(Request.Create().WithPath(Path).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"watchCount":0}"""));

        using var response = await SendAsync(DownstreamApi.Jira);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"watchCount":0}""", await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        server.Stop();
        server.Dispose();
    }

    private HttpClient Client(DownstreamApi api, TimeSpan timeout, string? baseUrl = null, TimeZoneInfo? zone = null) =>
        new(new DownstreamHttpHandler(api, timeout, time, zone) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = new Uri(baseUrl ?? server.Url!),
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private async Task<HttpResponseMessage> SendAsync(
        DownstreamApi api,
        TimeSpan? timeout = null,
        string? baseUrl = null,
        TimeZoneInfo? zone = null,
        CancellationToken cancellationToken = default)
    {
        using var client = Client(api, timeout ?? TimeSpan.FromSeconds(5), baseUrl, zone);
        using var request = new HttpRequestMessage(HttpMethod.Get, Path).Describe(Operation);
        return await client.SendAsync(request, cancellationToken);
    }
}
