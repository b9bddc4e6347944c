using System.Globalization;
using EventProcessor.Events.Maintenance;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Hosting;

/// <summary>
/// Section <c>Reconciliation</c>: when the search index reconciliation runs and how fast it goes.
/// Read by the worker (which ensures the schedule at start) and by the CLI (<c>schedules ensure</c>,
/// <c>reconcile run</c>), so both define the same schedule.
/// </summary>
/// <param name="Enabled">Whether the schedule runs; false keeps it, paused, so it can be seen and resumed.</param>
/// <param name="Schedule">Five-field cron expression of the runs' times (default <c>0 3 * * *</c>: daily at 03:00).</param>
/// <param name="TimeZone">IANA time zone of <see cref="Schedule"/> (default <c>UTC</c>).</param>
/// <param name="PageSize">Search records read a page (1 to 1000).</param>
/// <param name="PauseBetweenProjectsMilliseconds">Pause between two projects (0 to 60000), the rate limit.</param>
public sealed record ReconciliationSettings(bool Enabled, string Schedule, string TimeZone, int PageSize, int PauseBetweenProjectsMilliseconds)
{
    public const string SectionName = "Reconciliation";

    public const string DefaultSchedule = "0 3 * * *";

    public const string DefaultTimeZone = "UTC";

    public static ReconciliationSettings Defaults { get; } = new(
        true, DefaultSchedule, DefaultTimeZone, SearchIndexReconciliation.DefaultPageSize, SearchIndexReconciliation.DefaultPauseBetweenProjectsMilliseconds);

    /// <summary>The workflow's input for a run with these settings.</summary>
    public SearchIndexReconciliationInput Input(bool dryRun) => new(dryRun, PageSize, PauseBetweenProjectsMilliseconds);
}

/// <summary>Reads and checks section <c>Reconciliation</c> key by key; a bad value throws <see cref="InvalidSettingException"/> naming it.</summary>
public static class ReconciliationSettingsReader
{
    private const string Section = ReconciliationSettings.SectionName;

    public static ReconciliationSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var d = ReconciliationSettings.Defaults;

        var enabled = d.Enabled;
        if (Optional(section, "Enabled") is { } enabledText && !bool.TryParse(enabledText, out enabled))
        {
            throw new InvalidSettingException($"{Section}:Enabled", $"must be true or false, not '{enabledText}'.");
        }

        var schedule = Optional(section, "Schedule") ?? d.Schedule;
        try
        {
            _ = CronCalendar.Parse(schedule);
        }
        catch (FormatException e)
        {
            throw new InvalidSettingException($"{Section}:Schedule", e.Message);
        }

        var timeZone = Optional(section, "TimeZone") ?? d.TimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            throw new InvalidSettingException($"{Section}:TimeZone", $"must be an IANA time zone such as UTC or Europe/Paris, not '{timeZone}'.");
        }

        return new ReconciliationSettings(
            enabled,
            schedule,
            timeZone,
            Int(section, "PageSize", d.PageSize, 1, SearchIndexReconciliation.MaxPageSize),
            Int(section, "PauseBetweenProjectsMilliseconds", d.PauseBetweenProjectsMilliseconds, 0, 60_000));
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = Optional(section, key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidSettingException($"{Section}:{key}", $"must be a whole number from {min} to {max}, not '{text}'.");
    }

    private static string? Optional(IConfigurationSection section, string key)
    {
        var value = section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
