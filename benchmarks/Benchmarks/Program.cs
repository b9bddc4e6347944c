using EventProcessor.Benchmarks;

// A small command dispatcher: each benchmark is one command; later issues add theirs here.
var commands = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["engine"] = EngineBenchmark.RunAsync,
    ["trigger"] = TriggerBenchmark.RunAsync,
    ["codec"] = CodecBenchmark.RunAsync,
    ["pipeline"] = EventProcessor.Benchmarks.Pipeline.PipelineBenchmark.RunAsync,
    ["crash"] = CrashBenchmark.RunAsync,
    ["burst"] = EventProcessor.Benchmarks.Pipeline.BurstBenchmark.RunAsync,

    // The worker process the crash benchmark starts and kills (the real worker host, configured by environment variables).
    [CrashBenchmark.WorkerCommand] = workerArgs => EventProcessor.Worker.WorkerHost.RunAsync(workerArgs, Console.Error),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project benchmarks/Benchmarks -- <{string.Join("|", commands.Keys)}> [options]");
    return 2;
}

return await command(args[1..]);
