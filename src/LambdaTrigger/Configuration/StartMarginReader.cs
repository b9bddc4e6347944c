using System.Globalization;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>
/// Reads <c>Temporal:StartMarginMilliseconds</c>: the trigger's own key of section <c>Temporal</c>
/// (only the trigger has an invocation deadline), so it stays out of the shared <see cref="TemporalSettings"/>.
/// </summary>
public static class StartMarginReader
{
    private const string Setting = $"{TemporalSettings.SectionName}:StartMarginMilliseconds";

    /// <summary>Time kept back from the invocation deadline so the error can still be reported in time.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMilliseconds(500);

    public static TimeSpan Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        text = text.Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms < 60_000
            ? TimeSpan.FromMilliseconds(ms)
            : throw new InvalidSettingException(Setting, $"must be a whole number of milliseconds under 60000, not '{text}'.");
    }
}
