using EventProcessor.Events.Validation;

namespace EventProcessor.Cli.Events;

/// <summary>One event read from a file (one per file), valid or not.</summary>
public sealed record EventItem(string Source, string RawJson, ParsedEvent? Parsed, string? Error)
{
    public bool IsValid => Parsed is not null;
}

/// <summary>Reads <c>&lt;file|dir&gt;</c> (a directory's *.json, not recursive, in name order) and validates every event as the trigger does.</summary>
internal static class EventFiles
{
    public static IReadOnlyList<EventItem> Load(string path, EventParser parser)
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path]
            : throw new CliUsageException($"'{path}' is neither a file nor a directory.");
        if (files.Length == 0)
        {
            throw new CliUsageException($"'{path}' holds no *.json file.");
        }

        return [.. files.SelectMany(file => Read(file, parser))];
    }

    // One file is one event, as the trigger receives one event per invocation: a file holding an
    // array is rejected by the parser like any other non-object.
    private static IEnumerable<EventItem> Read(string file, EventParser parser)
    {
        yield return Validate(Path.GetFileName(file), File.ReadAllText(file), parser);
    }

    public static EventItem Validate(string source, string raw, EventParser parser)
    {
        try
        {
            return new EventItem(source, raw, parser.Parse(raw), null);
        }
        catch (EventValidationException e)
        {
            return new EventItem(source, raw, null, e.Message);
        }
    }
}
