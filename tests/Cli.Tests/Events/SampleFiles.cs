using System.Text.Json.Nodes;
using EventProcessor.TestSupport;

namespace EventProcessor.Cli.Tests.Events;

/// <summary>Copies of the repository's sample events in a temporary directory, each with a fresh id.</summary>
public sealed class SampleFiles : IDisposable
{
    public SampleFiles()
    {
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.GetFiles(SamplesDirectory, "*.json"))
        {
            var node = JsonNode.Parse(File.ReadAllText(file))!;
            node["id"] = Guid.NewGuid().ToString();
            File.WriteAllText(System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)), node.ToJsonString());
        }
    }

    public static string SamplesDirectory => System.IO.Path.Combine(SampleEvents.RepositoryRoot(), "samples", "events");

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cli-tests-" + Guid.NewGuid().ToString("N"));

    public int Count => Directory.GetFiles(Path, "*.json").Length;

    public string Write(string name, string json)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, json);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
