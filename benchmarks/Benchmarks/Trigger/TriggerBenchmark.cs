using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EventProcessor.EmbeddedTemporal;
using EventProcessor.Encryption;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Validation;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Starting;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;

namespace EventProcessor.Benchmarks;

/// <summary>
/// <c>trigger</c>: the Lambda trigger's cost. In one run against one server (embedded unless
/// TEMPORAL_ADDRESS): the handler's time per event next to a bare StartWorkflow call of the SDK with
/// the same options (goal: ratio ≤ 1.05), then the published bundle's size (files, unpacked,
/// zipped; goal: ≤ 25 MB zipped) and the bootstrap process's cold init to its first <c>next</c>
/// call (goal: median ≤ 60 ms CPU; the Temporal connection is lazy, so it is not in there).
/// Options: --events N (default 300), --warmup N (30), --cold-runs N (7), --bootstrap PATH.
/// </summary>
public static class TriggerBenchmark
{
    private const double RatioGoal = 1.05;
    private const double ColdInitCpuGoalMs = 60;
    private const double ZippedGoalMb = 25;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var events = IntOption(args, "events", 300);
        var warmup = IntOption(args, "warmup", 30);
        var coldRuns = IntOption(args, "cold-runs", 7);

        await using var server = await TriggerBenchmarkServer.StartAsync();
        Console.WriteLine($"trigger benchmark: Temporal {server.Address} ({(server.IsEmbedded ? "embedded" : "TEMPORAL_ADDRESS")}), namespace {server.Namespace}");

        var (handler, bare) = await WarmStartersAsync(server);
        var samples = TriggerSampleEvents.Load();
        for (var i = 0; i < warmup; i++)
        {
            await handler(samples[i % samples.Count].Fresh().Json);
            await bare(samples[i % samples.Count].Fresh().Parsed);
        }

        // Interleaved, so drift of the shared machine hits both sides alike.
        var handlerMs = new List<double>(events);
        var bareMs = new List<double>(events);
        for (var i = 0; i < events; i++)
        {
            // Inputs are made outside the timings: the handler gets raw JSON, the bare call an event already parsed.
            var json = samples[i % samples.Count].Fresh().Json;
            var parsed = samples[i % samples.Count].Fresh().Parsed;
            handlerMs.Add(await TimeAsync(() => handler(json)));
            bareMs.Add(await TimeAsync(() => bare(parsed)));
        }

        var ratio = Median(handlerMs) / Median(bareMs);
        Console.WriteLine($"handler per event : {Describe(handlerMs)}");
        Console.WriteLine($"bare StartWorkflow: {Describe(bareMs)}");
        Console.WriteLine($"ratio (median handler / median bare): {ratio:F3}  goal <= {RatioGoal:F2}  {(ratio <= RatioGoal ? "MET" : "NOT MET")}");

        var bootstrap = ColdInitProbe.FindBootstrap(args);
        if (bootstrap is null)
        {
            Console.WriteLine("bundle size and cold init: skipped, no bootstrap found (dotnet publish src/LambdaTrigger -c Release -r linux-x64, or pass --bootstrap PATH)");
            return ratio <= RatioGoal ? 0 : 1;
        }

        var bundle = BundleSize.Measure(Path.GetDirectoryName(bootstrap)!);
        var zippedMb = bundle.ZippedBytes / 1024.0 / 1024.0;
        Console.WriteLine($"bundle: {bundle.Directory}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bundle size: {bundle.Files} files, {bundle.UnpackedBytes / 1024.0 / 1024.0:F1} MB unpacked, {zippedMb:F1} MB zipped  goal zipped <= {ZippedGoalMb:F0} MB  {(zippedMb <= ZippedGoalMb ? "MET" : "NOT MET")}"));

        var (coldWall, coldCpu) = await ColdInitProbe.MeasureAsync(bootstrap, server.Address, coldRuns);
        var coldCpuMedian = Median(coldCpu);
        Console.WriteLine($"cold init, bootstrap: {bootstrap}");
        Console.WriteLine($"cold init to first next, wall: {Describe(coldWall)}  (load average {ColdInitProbe.LoadAverage()})");
        Console.WriteLine($"cold init to first next, CPU : {Describe(coldCpu)}  goal median <= {ColdInitCpuGoalMs:F0} ms  {(coldCpuMedian <= ColdInitCpuGoalMs ? "MET" : "NOT MET")}");
        return ratio <= RatioGoal && coldCpuMedian <= ColdInitCpuGoalMs && zippedMb <= ZippedGoalMb ? 0 : 1;
    }

    /// <summary>Both starters, connected and warmed up on the same server and task queue.</summary>
    private static async Task<(Func<byte[], Task> Handler, Func<ParsedEvent, Task> Bare)> WarmStartersAsync(TriggerBenchmarkServer server)
    {
        const string taskQueue = "trigger-benchmark";
        var settings = new TemporalSettings(server.Address, server.Namespace, taskQueue, null, TemporalTlsSettings.None);
        // Encryption on in both, as deployed, so the ratio compares the handler's own work only.
        var encryption = EncryptionSettings.For(new EncryptionKeyRing(
            "benchmark", new Dictionary<string, byte[]> { ["benchmark"] = RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize) }));
        var converter = EventProcessorDataConverter.Create(encryption);
        var trigger = new TriggerHandler(new EventParser(), new TemporalWorkflowStarter(new TemporalGrpcConnection(settings), new WorkflowPayloads(encryption)), TriggerOptions.DefaultStartMargin);
        var client = await TemporalClient.ConnectAsync(new(server.Address) { Namespace = server.Namespace, DataConverter = converter });

        Task Handler(byte[] json) => trigger.HandleAsync(json, DateTimeOffset.UtcNow.AddSeconds(30), CancellationToken.None);

        // The same start the handler makes, through the SDK's public API, from an event already parsed.
        Task Bare(ParsedEvent parsed)
        {
            var memo = new Dictionary<string, object>
            {
                ["eventId"] = parsed.Envelope.Id,
                ["eventSource"] = parsed.Envelope.Source,
                ["eventTime"] = parsed.Envelope.Time.ToString("O", CultureInfo.InvariantCulture),
                ["detailType"] = parsed.Envelope.DetailType,
            };
            return client.StartWorkflowAsync(parsed.WorkflowType, [parsed.CreateWorkflowInput()], new WorkflowOptions(parsed.WorkflowId, taskQueue)
            {
                IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
                IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
                TypedSearchAttributes = parsed.SearchAttributes,
                StaticSummary = parsed.Summary,
                StaticDetails = parsed.Details,
                Memo = memo,
            });
        }

        return (Handler, Bare);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Describe(List<double> values)
    {
        var sorted = values.Order().ToList();
        var p95 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"n={values.Count} median {Median(values):F3} ms, mean {values.Average():F3} ms, p95 {p95:F3} ms, min {sorted[0]:F3} ms");
    }

    internal static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    internal static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

/// <summary>The server the benchmark talks to, with the product's search attributes registered.</summary>
internal sealed class TriggerBenchmarkServer : IAsyncDisposable
{
    private readonly EmbeddedTemporalServer? embedded;

    private TriggerBenchmarkServer(string address, string ns, EmbeddedTemporalServer? embedded)
    {
        Address = address;
        Namespace = ns;
        this.embedded = embedded;
    }

    public string Address { get; }

    public string Namespace { get; }

    public bool IsEmbedded => embedded is not null;

    public static async Task<TriggerBenchmarkServer> StartAsync()
    {
        var address = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        var ns = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") is { Length: > 0 } n ? n : "default";
        var embedded = string.IsNullOrWhiteSpace(address) ? await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions()) : null;
        var server = new TriggerBenchmarkServer(embedded?.Address ?? address!.Trim(), embedded is null ? ns : "default", embedded);
        await server.RegisterSearchAttributesAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (embedded is not null)
        {
            await embedded.DisposeAsync();
        }
    }

    private async Task RegisterSearchAttributesAsync()
    {
        var client = await TemporalClient.ConnectAsync(new(Address) { Namespace = Namespace });
        var operators = client.Connection.OperatorService;
        var listed = await operators.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = Namespace });
        var request = new AddSearchAttributesRequest { Namespace = Namespace };
        foreach (var key in EventSearchAttributes.AllKeys.Where(k => !listed.CustomAttributes.ContainsKey(k.Name)))
        {
            request.SearchAttributes[key.Name] = IndexedValueType.Keyword;
        }

        if (request.SearchAttributes.Count > 0)
        {
            await operators.AddSearchAttributesAsync(request);
        }
    }
}
