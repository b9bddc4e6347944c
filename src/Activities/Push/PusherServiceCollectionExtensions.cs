using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventProcessor.Activities.Push;

public static class PusherServiceCollectionExtensions
{
    /// <summary>Registers the validated <c>Pusher</c> section, the signed Pusher client and <see cref="PushActivities"/>.</summary>
    public static IServiceCollection AddPusher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PusherOptions>().Bind(configuration.GetSection(PusherOptions.SectionName)).ValidateWith(PusherOptions.Validator);
        services.TryAddSingleton(TimeProvider.System);
        services.AddDownstreamClient<IPusherApi, PusherOptions>(DownstreamApi.Pusher, PusherJson.Options)
            .AddHttpMessageHandler(provider => new PusherSigningHandler(
                provider.GetRequiredService<IOptions<PusherOptions>>().Value,
                provider.GetService<TimeProvider>()));

        // Transient, like the typed HttpClient it holds, so the factory can rotate handlers (DNS changes).
        services.AddTransient<PushActivities>();
        return services;
    }
}
