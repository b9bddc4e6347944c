using System.Text.Json.Nodes;
using EventProcessor.Events.Validation;

namespace EventProcessor.TestSupport;

/// <summary>
/// Loads a sample of <c>samples/events</c> as the trigger would receive it, with a fresh event id
/// (so tests sharing a server never collide on workflow ids) and optional changes to its detail.
/// </summary>
public static class SampleEvents
{
    private static readonly EventParser Parser = new();

    public static ParsedEvent Load(string detailType, Action<JsonObject>? changeDetail = null)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "events", $"{detailType}.json")))!.AsObject();
        node["id"] = Guid.NewGuid().ToString();
        changeDetail?.Invoke(node["detail"]!.AsObject());
        return Parser.Parse(node.ToJsonString());
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventProcessor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EventProcessor.sln above {AppContext.BaseDirectory}.");
    }
}
