using System.Globalization;
using System.Net.Http.Headers;
using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Tests.Support;

namespace EventProcessor.Activities.Tests.Downstream;

public sealed class RetryDelayTests
{
    private static readonly DateTimeOffset Now = TestTimes.Now;

    [Fact]
    public void Retry_After_seconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(17));

        Assert.Equal(TimeSpan.FromSeconds(17), RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
    }

    [Fact]
    public void Retry_After_http_date()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", Now.AddMinutes(3).ToString("R", CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromMinutes(3), RetryDelay.From(DownstreamApi.Jira, 503, response.Headers, null, Now));
    }

    // A zero delay handed to Temporal replaces the retry policy's maximum interval and ends the
    // retries at once (see RetryDelay's remarks): a wait that is over gives no delay, so the retry
    // policy's backoff applies.
    [Fact]
    public void Retry_After_date_in_the_past_gives_no_delay()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", Now.AddMinutes(-3).ToString("R", CultureInfo.InvariantCulture));

        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
    }

    [Fact]
    public void Retry_After_now_gives_no_delay()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "0");

        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
    }

    [Fact]
    public void Retry_After_date_equal_to_now_gives_no_delay()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", Now.ToString("R", CultureInfo.InvariantCulture));

        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 503, response.Headers, null, Now));
    }

    [Theory]
    [InlineData("2026-11-25T11:59:30Z")]
    [InlineData("2026-11-25T12:00:00Z")]
    [InlineData("1795607970")]
    [InlineData("1795608000")]
    public void X_RateLimit_Reset_already_past_gives_no_delay(string header)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", header);

        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
        Assert.Null(RetryDelay.From(DownstreamApi.Algolia, 429, response.Headers, null, Now));
    }

    [Fact]
    public void HubSpot_locked_with_Retry_After_now_still_waits_two_seconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "0");

        Assert.Equal(RetryDelay.HubSpotLockedMinimum, RetryDelay.From(DownstreamApi.HubSpot, 423, response.Headers, null, Now));
    }

    [Fact]
    public void Positive_keeps_a_wait_and_drops_one_that_is_over()
    {
        Assert.Equal(TimeSpan.FromTicks(1), RetryDelay.Positive(TimeSpan.FromTicks(1)));
        Assert.Null(RetryDelay.Positive(TimeSpan.Zero));
        Assert.Null(RetryDelay.Positive(TimeSpan.FromSeconds(-5)));
        Assert.Null(RetryDelay.Positive(null));
    }

    [Fact]
    public void A_retryable_failure_never_carries_a_zero_or_negative_delay()
    {
        Assert.Null(DownstreamFailure.Retryable(DownstreamApi.HubSpot, "SearchLag", "m", TimeSpan.Zero).NextRetryDelay);
        Assert.Null(DownstreamFailure.Retryable(DownstreamApi.HubSpot, "SearchLag", "m", TimeSpan.FromMilliseconds(-1)).NextRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), DownstreamFailure.Retryable(DownstreamApi.HubSpot, "SearchLag", "m", TimeSpan.FromSeconds(3)).NextRetryDelay);
    }

    [Theory]
    [InlineData("2026-11-25T12:01:30Z", 90)]
    [InlineData("2026-11-25T12:01:30.000+0000", 90)]
    [InlineData("1795608090", 90)]
    public void X_RateLimit_Reset_as_ISO_or_Unix_seconds(string header, int seconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", header);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
    }

    [Fact]
    public void Unreadable_or_missing_headers_give_no_delay()
    {
        using var response = new HttpResponseMessage();
        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));

        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", "soon");
        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
    }

    [Fact]
    public void HubSpot_daily_policy_waits_until_the_accounts_midnight()
    {
        using var response = new HttpResponseMessage();
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/UTC+9", TimeSpan.FromHours(9), "UTC+9", "UTC+9");
        const string body = """{"status":"error","errorType":"RATE_LIMIT","policyName":"DAILY"}""";

        // 12:00 UTC is 21:00 at UTC+9: three hours to midnight.
        Assert.Equal(TimeSpan.FromHours(3), RetryDelay.From(DownstreamApi.HubSpot, 429, response.Headers, body, Now, zone));
        Assert.Equal(TimeSpan.FromHours(12), RetryDelay.From(DownstreamApi.HubSpot, 429, response.Headers, body, Now));
    }

    [Fact]
    public void The_daily_policy_is_HubSpots_alone()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, """{"policyName":"DAILY"}""", Now));
    }

    [Fact]
    public void HubSpot_locked_waits_at_least_two_seconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));

        Assert.Equal(RetryDelay.HubSpotLockedMinimum, RetryDelay.From(DownstreamApi.HubSpot, 423, response.Headers, null, Now));
    }
}
