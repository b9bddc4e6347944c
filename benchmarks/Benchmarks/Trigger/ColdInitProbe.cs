using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace EventProcessor.Benchmarks;

/// <summary>
/// Launches the trigger's bootstrap against a minimal fake Runtime API and times process start to
/// its first <c>GET .../invocation/next</c>: what Lambda bills as init for a custom runtime.
/// </summary>
internal static class ColdInitProbe
{
    private static readonly string[] Candidates =
    [
        "src/LambdaTrigger/bin/Release/net10.0/linux-x64/publish/bootstrap",
        "src/LambdaTrigger/bin/Release/net10.0/bootstrap",
        "src/LambdaTrigger/bin/Debug/net10.0/bootstrap",
    ];

    public static string? FindBootstrap(string[] args)
    {
        if (TriggerBenchmark.StringOption(args, "bootstrap") is { } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException("--bootstrap names no file.", given);
        }

        var root = RepositoryRoot.Find();
        return Candidates.Select(c => Path.Combine(root, c)).FirstOrDefault(File.Exists);
    }

    /// <summary>Wall time to the first next, and the CPU time the process had used by then (a figure load on a shared machine does not inflate).</summary>
    public static async Task<(List<double> WallMs, List<double> CpuMs)> MeasureAsync(string bootstrap, string temporalAddress, int runs)
    {
        var wall = new List<double>(runs);
        var cpu = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var (w, c) = await MeasureOnceAsync(bootstrap, temporalAddress);
            wall.Add(w);
            cpu.Add(c);
        }

        return (wall, cpu);
    }

    /// <summary>The 1-minute load average, printed beside wall times so a reader can judge them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>
    /// CPU time of all the process's threads so far. /proc/PID/task/*/schedstat counts nanoseconds;
    /// TotalProcessorTime counts clock ticks (10 ms), too coarse for a native process that is
    /// ready in a few milliseconds. The process is alive (waiting in next) when this is read.
    /// </summary>
    private static double CpuMilliseconds(Process process)
    {
        var tasks = $"/proc/{process.Id}/task";
        if (Directory.Exists(tasks))
        {
            long nanoseconds = 0;
            foreach (var task in Directory.GetDirectories(tasks))
            {
                var schedstat = Path.Combine(task, "schedstat");
                if (File.Exists(schedstat))
                {
                    nanoseconds += long.Parse(File.ReadAllText(schedstat).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return nanoseconds / 1_000_000.0;
        }

        process.Refresh();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    private static async Task<(double WallMs, double CpuMs)> MeasureOnceAsync(string bootstrap, string temporalAddress)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var start = new ProcessStartInfo(bootstrap)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{port}";
        start.Environment["Temporal__Address"] = temporalAddress;

        // As deployed: encryption on, so reading and checking the key is part of the measured init.
        start.Environment["Encryption__CurrentKeyId"] = "benchmark";
        start.Environment["Encryption__Keys__benchmark"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {bootstrap}.");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            var received = new StringBuilder();
            var buffer = new byte[4096];

            // The request line is enough: the runtime is past init once it asks for an invocation.
            while (!received.ToString().Contains("\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var cpu = CpuMilliseconds(process);
            var requestLine = received.ToString().Split("\r\n")[0];
            if (!requestLine.StartsWith("GET /2018-06-01/runtime/invocation/next", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The bootstrap's first request was '{requestLine}', not next: {await process.StandardError.ReadToEndAsync()}");
            }

            return (elapsed, cpu);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
