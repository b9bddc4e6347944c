using System.Text.Json;
using System.Text.Json.Serialization;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace EventProcessor.Activities.HubSpot;

public static class HubSpotServiceCollectionExtensions
{
    /// <summary>camelCase; absent optional members are left out rather than sent as null.</summary>
    private static readonly JsonSerializerOptions HubSpotJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Registers the validated <c>HubSpot</c> section (and <c>Notifications</c>, for the pipeline and
    /// its stage map, unless already registered), the HubSpot client and <see cref="HubSpotActivities"/>.
    /// </summary>
    public static IServiceCollection AddHubSpot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HubSpotOptions>(configuration, HubSpotOptions.SectionName);
        // AddEventProcessorActivities registers Notifications first; a second registration would validate it twice.
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<NotificationsOptions>)))
        {
            services.AddValidatedOptions<NotificationsOptions>(configuration, NotificationsOptions.SectionName);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddRefitGeneratedClient<IHubSpotApi>(DownstreamRefitSettings.Create(HubSpotJson))
            .ConfigureHttpClient((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<HubSpotOptions>>().Value;
                client.BaseAddress = options.BaseUri;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Authorization = options.Authorization();
            })
            .AddHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<HubSpotOptions>>().Value;
                return new DownstreamHttpHandler(DownstreamApi.HubSpot, options.Timeout, provider.GetService<TimeProvider>(), options.AccountTimeZoneInfo);
            });

        // Transient, like the typed HttpClient it holds, so the factory can rotate handlers (DNS changes).
        services.AddTransient<HubSpotActivities>();
        return services;
    }
}
