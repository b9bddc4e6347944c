using System.Text.Json;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventProcessor.Activities.Platform;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>The platform speaks camelCase JSON with ISO 8601 dates.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the <c>Platform</c> options (validated at start), the Bearer-authenticated client and <see cref="PlatformActivities"/>.</summary>
    public static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlatformOptions>().Bind(configuration.GetSection(PlatformOptions.SectionName)).ValidateWith(PlatformOptions.Validator);
        services.TryAddSingleton(TimeProvider.System);
        services.AddDownstreamClient<IPlatformApi, PlatformOptions>(DownstreamApi.Platform, Json, (options, client) =>
        {
            client.DefaultRequestHeaders.Authorization = options.Authorization();
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        });
        // Transient: a typed HttpClient held for the process lifetime would never see its handler (and DNS) renewed.
        services.AddTransient<PlatformActivities>();
        return services;
    }
}
