using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using EventProcessor.DownstreamStubs;
using EventProcessor.Encryption;
using EventProcessor.TestSupport;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// The built worker executable, configured by environment variables as in its container. In its
/// own process it also leaves this process's metrics to the local run's tests.
/// </summary>
internal static class WorkerProcess
{
    public const string KeyId = "2026-11";

    /// <summary>The stand-ins, a task queue of its own on the shared server, and encryption with a fresh key.</summary>
    public static Dictionary<string, string?> EncryptedSettings(TemporalServerFixture temporal, DownstreamStandIns downstream, int shutdownTimeoutSeconds) =>
        new(downstream.Configuration)
        {
            ["Temporal:Address"] = temporal.Address,
            ["Temporal:Namespace"] = temporal.Namespace,
            ["Temporal:TaskQueue"] = TaskQueues.Unique(),
            ["Encryption:CurrentKeyId"] = KeyId,
            [$"Encryption:Keys:{KeyId}"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize)),
            ["Worker:ShutdownTimeoutSeconds"] = shutdownTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Urls"] = "http://127.0.0.1:0",
        };

    /// <summary>Starts the worker with <paramref name="settings"/> only (no inherited <c>X__Y</c> variables); its output goes to <paramref name="lines"/>, or is drained so a full pipe never blocks its logging.</summary>
    public static Process Start(Dictionary<string, string?> settings, ConcurrentQueue<string>? lines = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "EventProcessor.Worker"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(lines, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(lines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Keep(ConcurrentQueue<string>? lines, string? line)
    {
        if (lines is not null && line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
