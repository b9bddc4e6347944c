using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventProcessor.DevHost;

/// <summary>One sample event file: its raw bytes (sent as they are), its <c>detail-type</c> and <c>time</c>.</summary>
public sealed record SampleFile(string Path, string DetailType, DateTimeOffset Time, byte[] Json)
{
    /// <summary>The same event under a new id (a new delivery of an equal event, not a redelivery).</summary>
    public SampleFile WithNewEventId()
    {
        var node = JsonNode.Parse(Json)!.AsObject();
        node["id"] = Guid.NewGuid().ToString();
        return this with { Json = Encoding.UTF8.GetBytes(node.ToJsonString()) };
    }

    /// <summary>
    /// Every sample of the folder (not its <c>invalid/</c> subfolder) in the order the events
    /// happened: the samples tell one story (a comment, then the emailed reply to it, ...), and a
    /// reply processed before its comment would change what the comment's workflow does.
    /// </summary>
    public static IReadOnlyList<SampleFile> Load(string directory) =>
        [.. Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly)
            .Select(path =>
            {
                var json = File.ReadAllBytes(path);
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var detailType = root.TryGetProperty("detail-type", out var type) ? type.GetString() : null;
                var time = root.TryGetProperty("time", out var at) && at.TryGetDateTimeOffset(out var parsed) ? parsed : DateTimeOffset.MaxValue;
                return new SampleFile(path, detailType ?? System.IO.Path.GetFileNameWithoutExtension(path), time, json);
            })
            .OrderBy(s => s.Time)
            .ThenBy(s => s.Path, StringComparer.Ordinal)];

    /// <summary><c>samples/events</c> of the repository above the current folder or above the program.</summary>
    public static string FindDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "samples", "events");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("No samples/events folder above the current folder or the program; pass --samples <folder>.");
    }
}
