using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventProcessor.Events.Catalog;

namespace EventProcessor.Events.Validation;

/// <summary>
/// The check of one detail field against its catalog declaration. The published JSON Schemas
/// (<see cref="Contracts.EventSchemaGenerator"/>) state the same rules with the same patterns.
/// </summary>
internal static partial class FieldRules
{
    /// <summary>At least one character that is not white space: what "not blank" means for a required string.</summary>
    public const string NotBlankPattern = "\\S";

    /// <summary>
    /// Deliberately loose: one <c>@</c> with something on both sides and no white space. The mail
    /// server is the real judge; this only stops obvious garbage.
    /// </summary>
    public const string EmailPattern = "^[^@\\s]+@[^@\\s]+$";

    /// <summary>What the schema can say of an absolute http(s) URL: the scheme and a host (the parser also parses it).</summary>
    public const string UrlPattern = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+";

    /// <summary>Checks one present, non-null value; returns the problem, or null when it fits.</summary>
    public static EventProblem? Check(EventField field, JsonElement value)
    {
        var path = $"detail.{field.Name}";
        var kindOk = field.Type switch
        {
            FieldType.String or FieldType.Email or FieldType.Url or FieldType.DateTime => value.ValueKind == JsonValueKind.String,
            FieldType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            FieldType.Number => value.ValueKind == JsonValueKind.Number,
            FieldType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            FieldType.Object => value.ValueKind == JsonValueKind.Object,
            FieldType.FreeForm => true,
            _ => false,
        };
        if (!kindOk)
        {
            return new EventProblem(RejectionCode.WrongFieldType, path, $"field '{path}' must be {Describe(field.Type)}, not {Describe(value.ValueKind)}");
        }

        // A free-form value is kept as it came, whatever it holds.
        if (value.ValueKind != JsonValueKind.String || field.IsFreeForm)
        {
            return null;
        }

        var text = value.GetString()!;
        if (field.Required && string.IsNullOrWhiteSpace(text))
        {
            return new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must not be empty");
        }

        return field.Type switch
        {
            FieldType.DateTime when !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) =>
                new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must be an ISO-8601 date-time, not '{Truncate(text)}'"),
            FieldType.Email when text.Length > 0 && !Email().IsMatch(text) =>
                new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must be an email address"),
            FieldType.Url when text.Length > 0 && !IsWebUrl(text) =>
                new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must be an absolute http(s) URL"),
            _ => null,
        };
    }

    /// <summary>How a field type reads in an error message and in the docs.</summary>
    public static string Describe(FieldType type) => type switch
    {
        FieldType.String => "a string",
        FieldType.Email => "a string (email address)",
        FieldType.Url => "a string (URL)",
        FieldType.DateTime => "a string (ISO-8601 date-time)",
        FieldType.Integer => "an integer",
        FieldType.Number => "a number",
        FieldType.Boolean => "true or false",
        FieldType.Object => "an object",
        FieldType.FreeForm => "text or any JSON value",
        _ => type.ToString(),
    };

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static bool IsWebUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex(EmailPattern, RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
