using EventProcessor.EmbeddedTemporal;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;

// Standalone server: dotnet run --project src/EmbeddedTemporal -- --port 7233 [--namespace X]... [--search-attribute Name=Type]... [--time-skipping]
var options = new EmbeddedTemporalOptions { Port = 7233 };
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--port":
            options.Port = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--namespace":
            options.Namespaces.Add(Value());
            break;
        case "--time-skipping":
            options.TimeSkipping = true;
            break;
        case "--search-attribute":
            var spec = Value();
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !Enum.TryParse<IndexedValueType>(spec[(eq + 1)..], ignoreCase: true, out var type) || type == IndexedValueType.Unspecified)
            {
                await Console.Error.WriteLineAsync($"invalid --search-attribute '{spec}': expected Name=Type with Type one of Text, Keyword, Int, Double, Bool, Datetime, KeywordList");
                return 2;
            }

            options.SearchAttributes[spec[..eq]] = type;
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'. Usage: --port N [--namespace X]... [--search-attribute Name=Type]... [--time-skipping]");
            return 2;
    }
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddFilter("Grpc", LogLevel.Warning));
options.LoggerFactory = loggerFactory;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using (var server = await EmbeddedTemporalServer.StartAsync(options, stop.Token))
{
    Console.WriteLine($"listening on {server.Address}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;
