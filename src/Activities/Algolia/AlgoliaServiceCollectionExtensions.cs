using System.Text.Json;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventProcessor.Activities.Algolia;

public static class AlgoliaServiceCollectionExtensions
{
    /// <summary>Registers the validated <c>Algolia</c> section, the Algolia client and <see cref="AlgoliaActivities"/>.</summary>
    public static IServiceCollection AddAlgolia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlgoliaOptions>().Bind(configuration.GetSection(AlgoliaOptions.SectionName)).ValidateWith(AlgoliaOptions.Validator);
        services.TryAddSingleton(TimeProvider.System);
        services.AddDownstreamClient<IAlgoliaApi, AlgoliaOptions>(
            DownstreamApi.Algolia,
            new JsonSerializerOptions(JsonSerializerDefaults.Web),
            (options, client) =>
            {
                client.DefaultRequestHeaders.Add("x-algolia-application-id", options.ApplicationId);
                client.DefaultRequestHeaders.Add("x-algolia-api-key", options.ApiKey);
            })
            .AddHttpMessageHandler(provider => new AlgoliaHostFallbackHandler(provider.GetRequiredService<IOptions<AlgoliaOptions>>().Value.FallbackBaseUris));
        services.TryAddSingleton<AlgoliaIndexCheck>();

        // Transient, like the typed HttpClient it holds, so the factory can rotate handlers (DNS changes).
        services.AddTransient<AlgoliaActivities>();
        return services;
    }
}
