using EventProcessor.DevHost;
using EventProcessor.Worker;
using Microsoft.Extensions.Logging;

// dotnet run --project src/DevHost [--keep-running] [--url http://127.0.0.1:5080] [--samples <folder>]
var keepRunning = args.Contains("--keep-running");
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

var options = new LocalRunOptions
{
    Url = Option("--url") ?? (keepRunning ? "http://127.0.0.1:5080" : "http://127.0.0.1:0"),
    SamplesDirectory = Option("--samples"),
    ConsoleLogLevel = keepRunning ? LogLevel.Information : LogLevel.Warning,
};

try
{
    await using var run = await LocalRun.StartAsync(options);
    var results = await run.SendSamplesAsync();
    ResultTable.Write(Console.Out, results, countsKnown: run.Downstream is not null);
    Console.WriteLine(run.Encryption.Describe());
    if (keepRunning)
    {
        run.WriteEndpoints(Console.Out);
        await run.WaitForShutdownAsync();
    }

    return results.Count > 0 && results.All(r => r.Status == SampleStatus.Completed) ? 0 : 1;
}
catch (Exception e) when (WorkerHost.ConfigurationProblem(e) is { } problem)
{
    await Console.Error.WriteLineAsync($"devhost: invalid configuration:{Environment.NewLine}  {problem}");
    return 1;
}
