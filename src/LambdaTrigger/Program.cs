using System.Runtime.InteropServices;
using EventProcessor.LambdaTrigger.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

// The HTTP intake left the Lambda bundle (it needs ASP.NET Core): say where it went.
const string IntakeFlag = "--intake";
const string IntakeCommand = "dotnet run --project src/Intake -- [--urls http://127.0.0.1:5080] (or the built src/Intake/bin/<configuration>/net10.0/intake)";
if (args.Contains(IntakeFlag))
{
    await Console.Error.WriteLineAsync($"bootstrap: {IntakeFlag} moved out of the Lambda bundle into its own host; run: {IntakeCommand}");
    return 2;
}

var runtimeApi = Environment.GetEnvironmentVariable(LambdaBootstrap.RuntimeApiVariable);
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    await Console.Error.WriteLineAsync(
        $"bootstrap: {LambdaBootstrap.RuntimeApiVariable} is not set. This is the Lambda custom runtime; for the local HTTP intake run: {IntakeCommand}");
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
