using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// Which runs this re-run already reset, one JSON line per run appended as soon as its reset is
/// accepted, so an interrupted re-run resumed with the same command never resets a run twice.
/// Append-only lines survive a kill between two runs; a torn last line is ignored.
/// </summary>
internal sealed class RerunStateFile
{
    private readonly string path;
    private readonly Dictionary<string, string> done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> created = new(StringComparer.Ordinal);

    private RerunStateFile(string path) => this.path = path;

    public string Path => path;

    public int Count => done.Count;

    /// <summary>Default location: one file per reason under the user's local data, so re-running the same command finds it.</summary>
    public static string DefaultPath(string reason)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reason)))[..16];
        var folder = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "eventprocessor", "reruns");
        return System.IO.Path.Combine(folder, $"rerun-{hash}.jsonl");
    }

    public static RerunStateFile Load(string path)
    {
        var state = new RerunStateFile(path);
        if (!File.Exists(path))
        {
            return state;
        }

        foreach (var line in File.ReadLines(path))
        {
            try
            {
                if (JsonSerializer.Deserialize(line, RerunJsonContext.Default.RerunRecord) is { } record)
                {
                    state.Remember(record.WorkflowId, record.RunId, record.NewRunId);
                }
            }
            catch (JsonException)
            {
                // A line torn by a kill mid-write: that reset was not recorded, and the server-side check catches it.
            }
        }

        return state;
    }

    public bool TryGetDone(string workflowId, string runId, out string newRunId) =>
        done.TryGetValue(Key(workflowId, runId), out newRunId!);

    /// <summary>Whether <paramref name="runId"/> is a run this operation created, and from which run.</summary>
    public bool TryGetCreatedFrom(string workflowId, string runId, out string baseRunId) =>
        created.TryGetValue(Key(workflowId, runId), out baseRunId!);

    public void Record(string workflowId, string runId, string newRunId, string reason, DateTimeOffset at)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var line = JsonSerializer.Serialize(new RerunRecord(workflowId, runId, newRunId, reason, at), RerunJsonContext.Default.RerunRecord);
        File.AppendAllText(path, line + "\n");
        Remember(workflowId, runId, newRunId);
    }

    private void Remember(string workflowId, string runId, string newRunId)
    {
        done[Key(workflowId, runId)] = newRunId;
        created[Key(workflowId, newRunId)] = runId;
    }

    private static string Key(string workflowId, string runId) => $"{workflowId}\n{runId}";
}

internal sealed record RerunRecord(string WorkflowId, string RunId, string NewRunId, string Reason, DateTimeOffset At);

[System.Text.Json.Serialization.JsonSerializable(typeof(RerunRecord))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RerunJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
