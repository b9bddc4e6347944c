using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace EventProcessor.Events.Validation;

/// <summary>
/// The fields a detail record expects, read once from the record itself (its JSON names, its
/// types, and whether each is nullable), so the record stays the single description of a payload.
/// </summary>
internal sealed class DetailSchema
{
    private static readonly ConcurrentDictionary<Type, DetailSchema> Cache = new();
    private static readonly NullabilityInfoContext Nullability = new();

    private DetailSchema(IReadOnlyList<DetailField> fields) => Fields = fields;

    public IReadOnlyList<DetailField> Fields { get; }

    // Not GetOrAdd(type, Build): a delegate would hide the annotation from the trim analysis.
    public static DetailSchema For([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type recordType) =>
        Cache.TryGetValue(recordType, out var schema) ? schema : Cache.GetOrAdd(recordType, Build(recordType));

    private static DetailSchema Build([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type recordType)
    {
        var fields = new List<DetailField>();
        foreach (var property in recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == "EqualityContract")
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || Nullability.Create(property).ReadState == NullabilityState.Nullable;
            fields.Add(new DetailField(JsonNamingPolicy.CamelCase.ConvertName(property.Name), KindOf(type, property), !nullable));
        }

        return new DetailSchema(fields);
    }

    private static FieldKind KindOf(Type type, PropertyInfo property) => type switch
    {
        _ when type == typeof(string) => property.Name.EndsWith("Email", StringComparison.Ordinal) ? FieldKind.Email
            : property.Name.EndsWith("Url", StringComparison.Ordinal) ? FieldKind.Url
            : FieldKind.String,
        _ when type == typeof(DateTimeOffset) => FieldKind.DateTime,
        _ when type == typeof(long) || type == typeof(int) => FieldKind.Integer,
        _ when type == typeof(double) || type == typeof(decimal) => FieldKind.Number,
        _ when type == typeof(bool) => FieldKind.Boolean,
        _ when type == typeof(JsonElement) => FieldKind.Object,
        _ => throw new NotSupportedException($"Detail field {property.DeclaringType?.Name}.{property.Name} has unsupported type {type.Name}."),
    };
}

internal enum FieldKind
{
    String,
    Email,
    Url,
    DateTime,
    Integer,
    Number,
    Boolean,
    Object,
}

internal sealed record DetailField(string JsonName, FieldKind Kind, bool Required)
{
    /// <summary>Checks one present, non-null value; returns the problem, or null when it fits.</summary>
    public EventProblem? Check(JsonElement value)
    {
        var path = $"detail.{JsonName}";
        var kindOk = Kind switch
        {
            FieldKind.String or FieldKind.Email or FieldKind.Url or FieldKind.DateTime => value.ValueKind == JsonValueKind.String,
            FieldKind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            FieldKind.Number => value.ValueKind == JsonValueKind.Number,
            FieldKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            FieldKind.Object => value.ValueKind == JsonValueKind.Object,
            _ => false,
        };
        if (!kindOk)
        {
            return new EventProblem(RejectionCode.WrongFieldType, path, $"field '{path}' must be {Describe(Kind)}, not {Describe(value.ValueKind)}");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        if (Required && string.IsNullOrWhiteSpace(text))
        {
            return new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must not be empty");
        }

        return Kind switch
        {
            FieldKind.DateTime when !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) =>
                new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must be an ISO-8601 date-time, not '{Truncate(text)}'"),
            FieldKind.Email when text.Length > 0 && !LooksLikeEmail(text) =>
                new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must be an email address"),
            FieldKind.Url when text.Length > 0 && !IsWebUrl(text) =>
                new EventProblem(RejectionCode.InvalidFieldValue, path, $"field '{path}' must be an absolute http(s) URL"),
            _ => null,
        };
    }

    // Deliberately loose: the mail server is the real judge; this only stops obvious garbage.
    private static bool LooksLikeEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }

    private static bool IsWebUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.String => "a string",
        FieldKind.Email => "a string (email address)",
        FieldKind.Url => "a string (URL)",
        FieldKind.DateTime => "a string (ISO-8601 date-time)",
        FieldKind.Integer => "an integer",
        FieldKind.Number => "a number",
        FieldKind.Boolean => "true or false",
        FieldKind.Object => "an object",
        _ => kind.ToString(),
    };

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
