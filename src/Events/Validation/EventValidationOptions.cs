namespace EventProcessor.Events.Validation;

/// <summary>
/// Configuration section <c>Events</c>. <see cref="AllowedSources"/> maps a detail-type to the
/// sources allowed for it; types not named keep the catalog's defaults.
/// </summary>
public sealed class EventValidationOptions
{
    public const string SectionName = "Events";

    public Dictionary<string, string[]> AllowedSources { get; init; } = new(StringComparer.Ordinal);
}
