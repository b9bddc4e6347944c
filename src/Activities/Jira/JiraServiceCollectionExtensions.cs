using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventProcessor.Activities.Jira;

public static class JiraServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Jira</c> options (validated at start), the platform and JSM clients (Basic
    /// auth, one <see cref="DownstreamHttpHandler"/> each, no retry layer) and <see cref="JiraActivities"/>.
    /// </summary>
    public static IServiceCollection AddJira(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JiraOptions>().Bind(configuration.GetSection(JiraOptions.SectionName)).ValidateWith(JiraOptions.Validator);
        services.TryAddSingleton(TimeProvider.System);
        AddClient<IJiraApi>(services, DownstreamApi.Jira);
        AddClient<IJsmApi>(services, DownstreamApi.Jsm);
        // One per process: the site's field types are read once and kept.
        services.TryAddSingleton<JiraFieldCatalog>();
        // Transient: a typed HttpClient held for the process lifetime would never see its handler (and DNS) renewed.
        services.AddTransient<JiraActivities>();
        return services;
    }

    private static void AddClient<TApi>(IServiceCollection services, DownstreamApi api)
        where TApi : class =>
        services.AddDownstreamClient<TApi, JiraOptions>(api, JiraJson.Options, (options, client) =>
        {
            client.DefaultRequestHeaders.Authorization = options.Authorization();
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        });
}
