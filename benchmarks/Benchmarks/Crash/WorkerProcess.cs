using System.Diagnostics;
using EventProcessor.DownstreamStubs;

namespace EventProcessor.Benchmarks;

/// <summary>
/// The worker host in a child process (this executable's <c>crash-worker</c> command, which runs
/// <c>WorkerHost.RunAsync</c>), configured through environment variables as in production.
/// </summary>
internal sealed class WorkerProcess
{
    private readonly Process process;

    private WorkerProcess(Process process) => this.process = process;

    public static WorkerProcess Start(TriggerBenchmarkServer server, DownstreamStandIns downstream)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        }

        start.ArgumentList.Add(CrashBenchmark.WorkerCommand);
        var settings = new Dictionary<string, string?>(downstream.Configuration, StringComparer.Ordinal)
        {
            ["Temporal:Address"] = server.Address,
            ["Temporal:Namespace"] = server.Namespace,
            ["Temporal:TaskQueue"] = "crash-benchmark",
            ["Encryption:Enabled"] = "false",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Error",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");

        // Drained so a chatty worker never blocks on a full pipe; the benchmark prints only its figures.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith("worker:", StringComparison.Ordinal))
            {
                Console.Error.WriteLine(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    /// <summary>SIGKILL: no graceful shutdown, nothing reported to the server.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Ends the last worker (SIGTERM would be graceful; the figures are taken already, so kill).</summary>
    public Task StopAsync() => process.HasExited ? Task.CompletedTask : KillAsync();
}
