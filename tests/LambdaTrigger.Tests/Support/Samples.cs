namespace EventProcessor.LambdaTrigger.Tests.Support;

/// <summary>The repository's sample events: 29 valid ones and the invalid ones with their expected errors.</summary>
internal static class Samples
{
    public static string Root { get; } = FindRoot();

    public static string ValidDirectory => Path.Combine(Root, "samples", "events");

    public static string InvalidDirectory => Path.Combine(ValidDirectory, "invalid");

    public static IEnumerable<string> ValidNames() =>
        Directory.GetFiles(ValidDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> InvalidNames() =>
        Directory.GetFiles(InvalidDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static byte[] Valid(string name) => File.ReadAllBytes(Path.Combine(ValidDirectory, name + ".json"));

    public static string ValidText(string name) => File.ReadAllText(Path.Combine(ValidDirectory, name + ".json"));

    public static byte[] Invalid(string name) => File.ReadAllBytes(Path.Combine(InvalidDirectory, name + ".json"));

    /// <summary>The sidecar's <c>code:</c> and <c>message:</c> lines.</summary>
    public static (string Code, string Message) Expected(string invalidName)
    {
        var lines = File.ReadAllLines(Path.Combine(InvalidDirectory, invalidName + ".expected.txt"));
        string Field(string key) => lines.Single(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
        return (Field("code"), Field("message"));
    }

    /// <summary>A valid sample with a fresh event id, so tests sharing a server never collide.</summary>
    public static byte[] WithFreshId(string name, out string eventId)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ValidText(name))!;
        eventId = Guid.NewGuid().ToString();
        node["id"] = eventId;
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static string FindRoot()
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
