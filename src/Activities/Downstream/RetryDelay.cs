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

        var delay = FromRetryAfter(headers.RetryAfter, now) ?? FromRateLimitReset(headers, now);
        if (api == DownstreamApi.HubSpot && status == 423 && (delay is null || delay < HubSpotLockedMinimum))
        {
            return HubSpotLockedMinimum;
        }

        return delay;
    }

    internal static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
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

        var wait = resetAt - now;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
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
