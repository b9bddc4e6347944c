using EventProcessor.Events.Validation;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Hosting;

/// <summary>
/// Reads section <c>Events</c>. A type's sources may be a list (<c>Events__AllowedSources__TicketCommentedEvent__0</c>)
/// or, easier to set on a Lambda, one comma-separated value (<c>Events__AllowedSources__TicketCommentedEvent=a,b</c>).
/// </summary>
public static class EventValidationSettingsReader
{
    public static EventValidationOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new EventValidationOptions();
        foreach (var type in configuration.GetSection($"{EventValidationOptions.SectionName}:AllowedSources").GetChildren())
        {
            var listed = type.GetChildren().Select(c => c.Value);
            var sources = (type.Value is { } single ? single.Split(',') : listed)
                .Select(s => s?.Trim())
                .Where(s => !string.IsNullOrEmpty(s))
                .Select(s => s!)
                .ToArray();
            options.AllowedSources[type.Key] = sources;
        }

        return options;
    }

    /// <summary>The parser for this configuration; an unknown detail-type in it is a configuration error.</summary>
    public static EventParser CreateParser(IConfiguration configuration)
    {
        try
        {
            return new EventParser(Read(configuration));
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingException($"{EventValidationOptions.SectionName}:AllowedSources", $"is invalid: {e.Message}");
        }
    }
}
