using System.Text;
using System.Text.Json.Nodes;
using EventProcessor.Events.Validation;

namespace EventProcessor.Benchmarks;

/// <summary>One of samples/events; <see cref="Fresh"/> gives it a new event id so every start is a real start.</summary>
internal sealed record TriggerSampleEvent(JsonNode Template)
{
    private static readonly EventParser Parser = new();

    public TriggerSampleEvent Fresh()
    {
        var copy = Template.DeepClone();
        copy["id"] = Guid.NewGuid().ToString();
        return new TriggerSampleEvent(copy);
    }

    public byte[] Json => Encoding.UTF8.GetBytes(Template.ToJsonString());

    public ParsedEvent Parsed => Parser.Parse(Json);
}

internal static class TriggerSampleEvents
{
    public static List<TriggerSampleEvent> Load()
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "samples", "events");
        return [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => new TriggerSampleEvent(JsonNode.Parse(File.ReadAllText(f))!))];
    }
}

internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EventProcessor.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository (no EventProcessor.sln found).");
    }
}
