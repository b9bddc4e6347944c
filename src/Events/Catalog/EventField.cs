namespace EventProcessor.Events.Catalog;

/// <summary>What a detail field holds; decides the parser's check, the schema and the documented type.</summary>
public enum FieldType
{
    /// <summary>A JSON string; when required, not blank.</summary>
    String,

    /// <summary>A string holding one email address (<c>local@domain</c>, no spaces).</summary>
    Email,

    /// <summary>A string holding an absolute http(s) URL.</summary>
    Url,

    /// <summary>A string holding an ISO-8601 date-time with an offset, e.g. <c>2026-11-20T10:15:00Z</c>.</summary>
    DateTime,

    /// <summary>A JSON number without a fraction (64-bit).</summary>
    Integer,

    /// <summary>Any JSON number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A JSON object of the producer's own shape (used where the processor needs an object).</summary>
    Object,

    /// <summary>
    /// Free-form: text or any JSON value (object, array, number, boolean), kept as it came and
    /// shown to people as text or pretty-printed JSON.
    /// </summary>
    FreeForm,
}

/// <summary>One field of an event's <c>detail</c>, as the catalog declares it.</summary>
/// <param name="Name">The JSON name, e.g. <c>ticketKey</c>.</param>
/// <param name="Type">What the field holds.</param>
/// <param name="Required">Required fields must be present and not null (and not blank, for strings).</param>
/// <param name="Description">What the field means, for producers (docs and schema descriptions).</param>
public sealed record EventField(string Name, FieldType Type, bool Required, string Description)
{
    /// <summary>True for fields that accept text or any JSON value.</summary>
    public bool IsFreeForm => Type == FieldType.FreeForm;
}
