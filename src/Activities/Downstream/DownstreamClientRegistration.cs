using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventProcessor.Activities.Downstream;

/// <summary>Settings every HTTP integration has: where the API lives and how long one call may take.</summary>
public interface IDownstreamOptions
{
    Uri BaseUri { get; }

    TimeSpan Timeout { get; }
}

/// <summary>
/// Registers a Refit client the way every integration needs it: the source-generated client (the
/// reflection-based one needs a package this repository does not reference), settings that let our Temporal failures
/// through unwrapped, base address from the options, no HttpClient timeout (the
/// <see cref="DownstreamHttpHandler"/> owns the per-call timeout so it can tell it from a cancelled
/// activity) and that handler first in the pipeline. No retry handler: Temporal retries.
/// </summary>
public static class DownstreamClientRegistration
{
    public static IHttpClientBuilder AddDownstreamClient<TApi, TOptions>(
        this IServiceCollection services,
        DownstreamApi api,
        JsonSerializerOptions json,
        Action<TOptions, HttpClient>? configure = null,
        Func<TOptions, TimeZoneInfo?>? accountTimeZone = null)
        where TApi : class
        where TOptions : class, IDownstreamOptions =>
        services.AddRefitGeneratedClient<TApi>(DownstreamRefitSettings.Create(json))
            .ConfigureHttpClient((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<TOptions>>().Value;
                client.BaseAddress = options.BaseUri;
                client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                configure?.Invoke(options, client);
            })
            .AddHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<TOptions>>().Value;
                return new DownstreamHttpHandler(api, options.Timeout, provider.GetService<TimeProvider>(), accountTimeZone?.Invoke(options));
            });
}
