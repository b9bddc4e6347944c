using System.ComponentModel.DataAnnotations;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Coalescing;

/// <summary>
/// Configuration section <c>Coalescing</c>: how long an entity's sync workflow waits for a burst of
/// events about the entity to end before it reads the fresh state once and writes once
/// (docs/worker.md, "Burst coalescing").
/// </summary>
public sealed class CoalescingOptions
{
    public const string SectionName = "Coalescing";

    /// <summary>The generated validator of this section, reporting as every other section does.</summary>
    public static readonly SectionValidator<CoalescingOptions> Validator = new(SectionName, new CoalescingOptionsValidator());

    /// <summary>
    /// Off sends every event's sync straight to the vendor as before coalescing (one read and one
    /// write per event); for comparisons and as an escape hatch. On by default.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The write happens once no new change has arrived for this long (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>...but never later than this after the first change of the batch (default 30 s), so a change that never stops still reaches search.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After this many history events a sync workflow that still has requests waiting continues
    /// as new, carrying them (Temporal also suggests it when the history grows large; whichever comes first).
    /// </summary>
    [Range(1, 40000)]
    public int ContinueAsNewAfterEvents { get; set; } = 4000;

    /// <summary>
    /// Appended to the sync workflows' ids (<c>ProjectSearchSync-{projectUuid}-{suffix}</c>); empty
    /// in production. Deployments (or tests) that share a namespace but run on different task queues
    /// set it, so one's sync never serves the other's events on a task queue nobody polls.
    /// </summary>
    public string IdSuffix { get; set; } = string.Empty;
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="CoalescingOptions"/>.</summary>
[OptionsValidator]
public sealed partial class CoalescingOptionsValidator : IValidateOptions<CoalescingOptions>;
