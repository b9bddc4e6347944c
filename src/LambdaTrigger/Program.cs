using System.Runtime.InteropServices;
using EventProcessor.Encryption;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Intake;
using EventProcessor.LambdaTrigger.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

if (args.Contains(IntakeHost.Flag))
{
    try
    {
        return await IntakeHost.RunAsync(args);
    }
    catch (Exception e) when (e is TriggerConfigurationException or EncryptionConfigurationException)
    {
        await Console.Error.WriteLineAsync($"bootstrap --intake: {e.Message}");
        return 1;
    }
}

var runtimeApi = Environment.GetEnvironmentVariable(LambdaBootstrap.RuntimeApiVariable);
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    await Console.Error.WriteLineAsync(
        $"bootstrap: {LambdaBootstrap.RuntimeApiVariable} is not set. This is the Lambda custom runtime; for the local HTTP intake run: bootstrap {IntakeHost.Flag} [--urls {IntakeHost.DefaultUrl}]");
    return 2;
}

// Lambda sets configuration as environment variables (Temporal__Address, ...).
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
using var loggerFactory = new LoggerFactory([new LambdaConsoleLoggerProvider()]);
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
return await LambdaBootstrap.RunAsync(configuration, runtimeApi, loggerFactory, stop.Token);
