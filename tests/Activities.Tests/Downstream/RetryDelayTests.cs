using System.Globalization;
using System.Net.Http.Headers;
using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Tests.Support;

namespace EventProcessor.Activities.Tests.Downstream;

public sealed class RetryDelayTests
{
    private static readonly DateTimeOffset Now = Harness.Now;

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

    [Fact]
    public void Retry_After_date_in_the_past_means_now()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", Now.AddMinutes(-3).ToString("R", CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.Zero, RetryDelay.From(DownstreamApi.Jira, 429, response.Headers, null, Now));
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
