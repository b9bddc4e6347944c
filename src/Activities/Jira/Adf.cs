using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventProcessor.Activities.Jira;

/// <summary>An Atlassian Document Format node: <c>{type, text?, content?}</c>.</summary>
public sealed record AdfNode(
    [property: JsonPropertyOrder(-1)] string Type,
    string? Text = null,
    IReadOnlyList<AdfNode>? Content = null);

/// <summary>The root of an ADF document, which Jira v3 requires for comment bodies and descriptions.</summary>
public sealed record AdfDocument(IReadOnlyList<AdfNode> Content)
{
    [JsonPropertyOrder(-2)]
    public string Type => "doc";

    [JsonPropertyOrder(-1)]
    public int Version => 1;
}

/// <summary>
/// Converts between plain text and ADF. Writing: blank lines separate paragraphs and single line
/// breaks become <c>hardBreak</c> nodes (ADF rejects empty text nodes and raw newlines are not
/// rendered); lines fenced by <c>```</c> lines become a <c>codeBlock</c>. Reading: text, mentions, emoji and links are kept, block nodes end a line.
/// </summary>
public static class Adf
{
    private const string Fence = "```";

    public static AdfDocument FromPlainText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocks = new List<AdfNode>();
        foreach (var (prose, code) in Segments(text.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            if (code is not null)
            {
                blocks.Add(new AdfNode("codeBlock", Content: code.Length > 0 ? [new AdfNode("text", code)] : []));
                continue;
            }

            blocks.AddRange(prose!.Split("\n\n").Select(p => p.Trim('\n')).Where(p => p.Length > 0).Select(Paragraph));
        }

        return new AdfDocument(blocks.Count > 0 ? blocks : [new AdfNode("paragraph", Content: [])]);
    }

    /// <summary>Several blocks of plain text, each becoming one or more paragraphs, in order.</summary>
    public static AdfDocument FromPlainText(params string[] blocks) =>
        new(blocks.SelectMany(b => FromPlainText(b).Content).ToList());

    public static string ToPlainText(JsonElement document)
    {
        var builder = new StringBuilder();
        Append(document, builder);
        return builder.ToString().Trim();
    }

    // Lines between two ``` lines are code (e.g. a pretty-printed JSON value of an event): they become
    // one codeBlock, whose text keeps its line breaks and indentation, which paragraphs would not.
    private static IEnumerable<(string? Prose, string? Code)> Segments(string text)
    {
        var lines = text.Split('\n');
        var prose = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var closing = lines[i].TrimEnd() == Fence ? Array.FindIndex(lines, i + 1, l => l.TrimEnd() == Fence) : -1;
            if (closing < 0)
            {
                prose.Add(lines[i]);
                continue;
            }

            yield return (string.Join('\n', prose), null);
            prose.Clear();
            yield return (null, string.Join('\n', lines[(i + 1)..closing]));
            i = closing;
        }

        yield return (string.Join('\n', prose), null);
    }

    private static AdfNode Paragraph(string paragraph)
    {
        var inline = new List<AdfNode>();
        foreach (var line in paragraph.Split('\n'))
        {
            if (inline.Count > 0)
            {
                inline.Add(new AdfNode("hardBreak"));
            }

            if (line.Length > 0)
            {
                inline.Add(new AdfNode("text", line));
            }
        }

        return new AdfNode("paragraph", Content: inline);
    }

    private static void Append(JsonElement node, StringBuilder builder)
    {
        if (node.ValueKind == JsonValueKind.String)
        {
            // Old comments or JSM bodies may be plain strings rather than ADF.
            builder.Append(node.GetString());
            return;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                builder.Append(StringProperty(node, "text"));
                return;
            case "hardBreak":
                builder.Append('\n');
                return;
            case "mention" or "emoji" or "date" or "status":
                builder.Append(Attribute(node, "text") ?? Attribute(node, "shortName") ?? string.Empty);
                return;
            case "inlineCard":
                builder.Append(Attribute(node, "url"));
                return;
        }

        if (node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in content.EnumerateArray())
            {
                Append(child, builder);
            }
        }

        // Blocks are separated by a blank line, as FromPlainText reads them.
        if (type is "paragraph" or "heading" or "codeBlock" or "blockquote" or "listItem" or "rule" or "mediaSingle" or "panel")
        {
            while (builder.Length > 0 && !(builder.Length >= 2 && builder[^1] == '\n' && builder[^2] == '\n'))
            {
                builder.Append('\n');
            }
        }
    }

    private static string? StringProperty(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Attribute(JsonElement node, string name) =>
        node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object ? StringProperty(attrs, name) : null;
}
