using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventProcessor.Events.Payloads;

/// <summary>
/// The value of a free-form detail field: a producer's own description, as text or as any JSON
/// value (object, array, number, boolean). It is kept exactly as it came (the workflow input and
/// its history hold the original JSON); people see it through <see cref="ToDisplayText"/>: text as
/// written, anything else pretty-printed, both cut to a bounded size.
/// </summary>
[JsonConverter(typeof(FreeFormJsonConverter))]
public sealed class FreeForm : IEquatable<FreeForm>
{
    /// <summary>
    /// How many characters of a free-form value a mail or a ticket shows. A page or a ticket must
    /// stay readable whatever a producer sends; the whole value stays in the run's input.
    /// </summary>
    public const int DisplayLimit = 4000;

    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        // The text is shown to people, not embedded in HTML or a script: templates encode it where they place it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private FreeForm(JsonElement value) => Value = value;

    /// <summary>The value as it came.</summary>
    public JsonElement Value { get; }

    /// <summary>True when the producer sent text.</summary>
    public bool IsText => Value.ValueKind == JsonValueKind.String;

    /// <summary>True when there is nothing to show: blank text, <c>{}</c> or <c>[]</c>.</summary>
    public bool IsEmpty => Value.ValueKind switch
    {
        JsonValueKind.String => string.IsNullOrWhiteSpace(Value.GetString()),
        JsonValueKind.Object => !Value.EnumerateObject().Any(),
        JsonValueKind.Array => Value.GetArrayLength() == 0,
        _ => false,
    };

    /// <summary>A value read from an event; <c>null</c> (JSON null or absent) stays <c>null</c>.</summary>
    public static FreeForm? FromJson(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : new FreeForm(value.Clone());

    /// <summary>A text value, as a producer that sends text would.</summary>
    public static FreeForm FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new FreeForm(document.RootElement.Clone());
    }

    /// <summary>
    /// What a person reads: text as written (trimmed), any other value as indented JSON, cut to
    /// <paramref name="maxLength"/> characters with a note saying how much was left out.
    /// </summary>
    public string ToDisplayText(int maxLength = DisplayLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var full = IsText ? Value.GetString()!.Trim() : Pretty(Value);
        if (full.Length <= maxLength)
        {
            return full;
        }

        var cut = maxLength;
        if (char.IsHighSurrogate(full[cut - 1]))
        {
            cut--;
        }

        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{full.AsSpan(0, cut)}\n… ({full.Length - cut} more characters not shown)");
    }

    /// <summary>The display text (<see cref="ToDisplayText"/>).</summary>
    public override string ToString() => ToDisplayText();

    public bool Equals(FreeForm? other) => other is not null && JsonElement.DeepEquals(Value, other.Value);

    public override bool Equals(object? obj) => Equals(obj as FreeForm);

    public override int GetHashCode() => IsText ? HashCode.Combine(Value.ValueKind, Value.GetString()) : Value.ValueKind.GetHashCode();

    private static string Pretty(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>Reads any JSON value into a <see cref="FreeForm"/> and writes it back unchanged.</summary>
public sealed class FreeFormJsonConverter : JsonConverter<FreeForm>
{
    public override FreeForm? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FreeForm.FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, FreeForm value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.Value.WriteTo(writer);
    }
}
