using EventProcessor.Cli.Aws;
using EventProcessor.Cli.Runs;

namespace EventProcessor.Cli.Events;

/// <summary>The sink <c>--intake URL</c> or <c>--bus NAME</c> names; exactly one of them.</summary>
internal static class SinkFactory
{
    public static IEventSink Create(CliEnvironment environment, HttpClient http, string? intake, string? bus, string? region, string? endpoint, Pacer pacer)
    {
        if ((intake is null) == (bus is null))
        {
            throw new CliUsageException("say where to send: exactly one of --intake URL or --bus NAME.");
        }

        if (intake is not null)
        {
            return new IntakeSink(http, IntakeSink.EventsEndpoint(intake), pacer);
        }

        if (string.IsNullOrWhiteSpace(bus))
        {
            throw new CliUsageException("--bus must name an EventBridge bus.");
        }

        var aws = AwsContext.Resolve(environment, region);
        Uri uri;
        if (endpoint is null)
        {
            uri = EventBridgeClient.DefaultEndpoint(aws.Region);
        }
        else if (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri!) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--endpoint-url '{endpoint}' is not an http(s) URL.");
        }

        return new BusSink(new EventBridgeClient(http, uri, aws, TimeProvider.System), bus.Trim(), pacer, environment.ResendDelay);
    }
}
