using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventProcessor.Activities.Jira;

/// <summary>Jira's JSON conventions: camelCase, optional members left out rather than null, <c>+0000</c> offsets.</summary>
internal static class JiraJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JiraDateTimeOffsetConverter() },
    };
}

/// <summary>
/// Jira writes dates as <c>2026-11-20T10:15:00.000+0000</c>: an offset without a colon, which
/// System.Text.Json's ISO 8601 reader rejects. JSM's <c>iso8601</c> values use the same form.
/// </summary>
internal sealed class JiraDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TryGetDateTimeOffset(out var iso))
        {
            return iso;
        }

        var text = reader.GetString() ?? throw new JsonException("A date is null.");
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
        {
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a date Jira writes.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
