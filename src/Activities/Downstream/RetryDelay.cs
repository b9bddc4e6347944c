using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EventProcessor.Activities.Downstream;

/// <summary>
/// Reads how long a rate-limited or overloaded API asked us to wait, from the headers each API
/// documents: <c>Retry-After</c> (seconds or HTTP date), Jira's ISO-8601
/// <c>X-RateLimit-Reset</c>, Algolia's Unix-seconds <c>x-ratelimit-reset</c>, and HubSpot's
/// <c>DAILY</c> policy (wait until midnight in the account's time zone).
/// </summary>
/// <remarks>
/// Never returns a zero or negative delay. Temporal treats a delay the application gives as a
/// replacement for the retry policy's maximum interval, so a zero delay makes the server compute
/// an interval of 0 with a maximum of 0 and stop retrying at once (retry state <c>Timeout</c>):
/// the first <c>Retry-After: 0</c> or reset time already past (clock skew with the vendor is
/// normal) would fail the run. When the API's wait is over or says "now", the answer is
/// <see langword="null"/> rather than a small floor: the activity's own retry policy then applies,
/// whose backoff starts at its initial interval and grows with every attempt, so an API that keeps
/// answering "retry now" is not hit at a fixed rate (a floor would do exactly that).
/// </remarks>
public static class RetryDelay
{
    /// <summary>HubSpot answers 423 Locked and asks for at least two seconds.</summary>
    public static readonly TimeSpan HubSpotLockedMinimum = TimeSpan.FromSeconds(2);

    public static TimeSpan? From(DownstreamApi api, int status, HttpResponseHeaders headers, string? body, DateTimeOffset now, TimeZoneInfo? accountTimeZone = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (api == DownstreamApi.HubSpot && status == 429 && IsHubSpotDailyPolicy(body))
        {
            return UntilNextMidnight(now, accountTimeZone ?? TimeZoneInfo.Utc);
        }

        // Retry-After, when present, decides even when it says "now": the API has answered.
        var delay = Positive(FromRetryAfter(headers.RetryAfter, now) ?? FromRateLimitReset(headers, now));
        if (api == DownstreamApi.HubSpot && status == 423 && (delay is null || delay < HubSpotLockedMinimum))
        {
            return HubSpotLockedMinimum;
        }

        return delay;
    }

    /// <summary>
    /// A wait that is over (zero or negative) becomes no delay at all, so the retry policy's
    /// backoff applies; see the remarks on <see cref="RetryDelay"/>.
    /// </summary>
    public static TimeSpan? Positive(TimeSpan? delay) => delay > TimeSpan.Zero ? delay : null;

    internal static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            return date - now;
        }

        return null;
    }

    internal static TimeSpan? FromRateLimitReset(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (!headers.TryGetValues("X-RateLimit-Reset", out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        DateTimeOffset resetAt;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            resetAt = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out resetAt))
        {
            return null;
        }

        return resetAt - now;
    }

    internal static TimeSpan UntilNextMidnight(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var nextMidnightLocal = local.Date.AddDays(1);
        var offset = zone.GetUtcOffset(nextMidnightLocal);
        var nextMidnight = new DateTimeOffset(nextMidnightLocal, offset);
        return nextMidnight - now;
    }

    private static bool IsHubSpotDailyPolicy(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("policyName", out var policy)
                && policy.ValueKind == JsonValueKind.String
                && string.Equals(policy.GetString(), "DAILY", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
