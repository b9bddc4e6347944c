using System.Globalization;
using EventProcessor.Events.Maintenance;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Section <c>Reconciliation</c> as bound by the configuration-binding source generator and checked
/// by <see cref="ReconciliationOptionsValidator"/>, like every other section (<see cref="SectionValidator{TOptions}"/>).
/// </summary>
public sealed class ReconciliationOptions : IValidatableObject
{
    /// <summary>The generated validator of this section, reporting as every other section does.</summary>
    public static readonly SectionValidator<ReconciliationOptions> Validator = new(ReconciliationSettings.SectionName, new ReconciliationOptionsValidator());

    public bool Enabled { get; set; } = ReconciliationSettings.Defaults.Enabled;

    public string? Schedule { get; set; }

    public string? TimeZone { get; set; }

    public int PageSize { get; set; } = ReconciliationSettings.Defaults.PageSize;

    public int PauseBetweenProjectsMilliseconds { get; set; } = ReconciliationSettings.Defaults.PauseBetweenProjectsMilliseconds;

    /// <summary>Reads and checks section <c>Reconciliation</c>; an absent section or key takes its default.</summary>
    /// <exception cref="InvalidSettingException">A setting is wrong; the message names it.</exception>
    public static ReconciliationSettings Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<ReconciliationOptions>() ?? new ReconciliationOptions()).ToSettings();

    /// <summary>The checked settings; blank schedule and time zone take their defaults.</summary>
    public ReconciliationSettings ToSettings() =>
        new(Enabled, Trimmed(Schedule) ?? ReconciliationSettings.DefaultSchedule, Trimmed(TimeZone) ?? ReconciliationSettings.DefaultTimeZone, PageSize, PauseBetweenProjectsMilliseconds);

    /// <summary>
    /// The cron and time zone rules, and the ranges with messages that say what a value may be (the
    /// generated validator keeps only the attributes' default range messages).
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Trimmed(Schedule) is { } schedule)
        {
            string? problem = null;
            try
            {
                _ = CronCalendar.Parse(schedule);
            }
            catch (FormatException e)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return new ValidationResult($"is invalid: {problem}", [nameof(Schedule)]);
            }
        }

        if (Trimmed(TimeZone) is { } timeZone && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            yield return new ValidationResult($"must be an IANA time zone such as UTC or Europe/Paris, not '{timeZone}'.", [nameof(TimeZone)]);
        }

        if (PageSize is < 1 or > SearchIndexReconciliation.MaxPageSize)
        {
            yield return new ValidationResult($"must be a whole number from 1 to {SearchIndexReconciliation.MaxPageSize}, not '{PageSize.ToString(CultureInfo.InvariantCulture)}'.", [nameof(PageSize)]);
        }

        if (PauseBetweenProjectsMilliseconds is < 0 or > 60_000)
        {
            yield return new ValidationResult($"must be a whole number from 0 to 60000, not '{PauseBetweenProjectsMilliseconds.ToString(CultureInfo.InvariantCulture)}'.", [nameof(PauseBetweenProjectsMilliseconds)]);
        }
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Written by the options-validation source generator from <see cref="ReconciliationOptions"/>.</summary>
[OptionsValidator]
public sealed partial class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>;
