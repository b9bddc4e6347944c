using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>How a command prints its records: a table for people, JSON or JSON lines for scripts.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Jsonl,
}

/// <summary>
/// <c>--output table|json|jsonl</c> (<c>-o</c>), as <c>temporal ... -o json</c>: json prints one
/// document, jsonl one record per line. Field names are a contract (docs/runbook.md); in the JSON
/// forms nothing else is written to standard output (notes and errors go to standard error).
/// </summary>
internal static class Outputs
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static Option<string> Option()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table (default), json (one document) or jsonl (one record per line); field names are listed in docs/runbook.md.",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "json", "jsonl");
        return option;
    }

    public static OutputFormat Read(ParseResult parsed, Option<string> option) => parsed.GetValue(option) switch
    {
        "json" => OutputFormat.Json,
        "jsonl" => OutputFormat.Jsonl,
        _ => OutputFormat.Table,
    };

    public static void Json(IAnsiConsole console, JsonNode? document) =>
        Plain.Line(console, document?.ToJsonString(Indented) ?? "null");

    public static void JsonLine(IAnsiConsole console, JsonNode? record) =>
        Plain.Line(console, record?.ToJsonString(Compact) ?? "null");

    /// <summary>Records as the format asks: an indented array, or one compact record per line.</summary>
    public static void Records(IAnsiConsole console, OutputFormat format, IEnumerable<JsonNode> records)
    {
        if (format == OutputFormat.Jsonl)
        {
            foreach (var record in records)
            {
                JsonLine(console, record);
            }

            return;
        }

        Json(console, new JsonArray([.. records]));
    }

    /// <summary>Times in RFC 3339, UTC, as Temporal's own JSON prints them.</summary>
    public static JsonNode? Time(DateTime? time) =>
        time is { } t ? JsonValue.Create(t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)) : null;

    /// <summary>A payload shown as text: its JSON when it is JSON, else the text itself.</summary>
    public static JsonNode? Payload(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
