using System.Text.Json.Serialization;
using System.Text.Json;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddOptions<HubSpotOptions>().Bind(configuration.GetSection(HubSpotOptions.SectionName)).ValidateWith(HubSpotOptions.Validator);
        // AddEventProcessorActivities registers Notifications first; a second registration would validate it twice.
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<NotificationsOptions>)))
        {
            services.AddOptions<NotificationsOptions>().Bind(configuration.GetSection(NotificationsOptions.SectionName)).ValidateWith(NotificationsOptions.Validator);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddDownstreamClient<IHubSpotApi, HubSpotOptions>(
            DownstreamApi.HubSpot,
            HubSpotJson,
            (options, client) => client.DefaultRequestHeaders.Authorization = options.Authorization(),
            options => options.AccountTimeZoneInfo());

        // Transient, like the typed HttpClient it holds, so the factory can rotate handlers (DNS changes).
        services.AddTransient<HubSpotActivities>();
        return services;
    }
}
