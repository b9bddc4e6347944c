using EventProcessor.Events.Validation;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Hosting;

/// <summary>
/// Configuration section <c>Events</c>, bound by the configuration-binding source generator. A
/// type's sources may be a list (<c>Events__AllowedSources__TicketCommentedEvent__0</c>) or, easier
/// to set on a Lambda, one comma-separated value (<c>Events__AllowedSources__TicketCommentedEvent=a,b</c>).
/// </summary>
public sealed class EventsOptions
{
    public Dictionary<string, List<string>> AllowedSources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The section as the event parser takes it.</summary>
    public static EventValidationOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection($"{EventValidationOptions.SectionName}:AllowedSources");
        Dictionary<string, List<string>> bound;
        try
        {
            bound = configuration.GetSection(EventValidationOptions.SectionName).Get<EventsOptions>()?.AllowedSources ?? [];
        }
        catch (InvalidOperationException e) when (SettingBinding.Problem(e) is { } problem)
        {
            throw new InvalidSettingException([problem]);
        }

        var options = new EventValidationOptions();
        foreach (var (type, listed) in bound)
        {
            // A single value has no children, so the binder leaves its list empty: split it here.
            var sources = section[type] is { } single ? single.Split(',') : listed.ToArray();
            options.AllowedSources[type] = sources.Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        }

        return options;
    }

    /// <summary>The parser for this configuration; an unknown detail-type in it is a bad setting.</summary>
    /// <exception cref="InvalidSettingException">The section names an unknown detail-type.</exception>
    public static EventParser CreateParser(IConfiguration configuration)
    {
        var options = Read(configuration);
        try
        {
            return new EventParser(options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingException($"{EventValidationOptions.SectionName}:AllowedSources", $"is invalid: {e.Message}");
        }
    }
}
