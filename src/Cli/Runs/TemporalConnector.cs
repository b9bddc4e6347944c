using EventProcessor.Hosting;
using EventProcessor.Cli.Configuration;
using EventProcessor.Encryption;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// Connects as the worker does (section <c>Temporal</c>), with <c>--address</c>/<c>--namespace</c> on
/// top, and with the product's payload codec (section <c>Encryption</c>) so that <c>runs show</c>
/// reads the inputs, results and failures the worker encrypted.
/// </summary>
internal static class TemporalConnector
{
    public static async Task<TemporalClient> ConnectAsync(CliEnvironment environment, string? address, string? ns)
    {
        var settings = CliConfiguration.ReadTemporal(environment, address, ns);
        var options = settings.ToConnectOptions();
        try
        {
            options.DataConverter = EventProcessorDataConverter.Create(CliConfiguration.Build(environment, new Dictionary<string, string?>()));
        }
        catch (InvalidSettingException e)
        {
            throw new CliUsageException(e.Message, e);
        }

        try
        {
            return await TemporalClient.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Temporalio.Exceptions.RpcException or InvalidOperationException)
        {
            throw new CliFailureException($"Cannot reach Temporal at {settings.Address} (namespace {settings.Namespace}): {e.Message}", e);
        }
    }
}
