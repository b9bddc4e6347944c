using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Coalescing;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Email;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Platform;
using EventProcessor.Activities.Push;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace EventProcessor.Activities;

/// <summary>Registers every integration and activity class of the product.</summary>
public static class ActivitiesServiceCollectionExtensions
{
    /// <summary>The activity classes a worker must register (instances come from DI).</summary>
    public static IReadOnlyList<Type> ActivityTypes { get; } =
    [
        typeof(SettingsActivities),
        typeof(JiraActivities),
        typeof(PlatformActivities),
        typeof(AlgoliaActivities),
        typeof(HubSpotActivities),
        typeof(PushActivities),
        typeof(EmailActivities),
        typeof(CoalescingActivities),
    ];

    /// <summary>
    /// Binds and validates the sections <c>Jira</c>, <c>Algolia</c>, <c>HubSpot</c>, <c>Pusher</c>,
    /// <c>Smtp</c>, <c>Platform</c> and <c>Notifications</c> (validated when the host starts) and
    /// registers the clients and activity classes.
    /// </summary>
    public static IServiceCollection AddEventProcessorActivities(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<NotificationsOptions>().Bind(configuration.GetSection(NotificationsOptions.SectionName)).ValidateWith(NotificationsOptions.Validator);
        services.TryAddSingleton<SettingsActivities>();
        return services
            .AddJira(configuration)
            .AddPlatform(configuration)
            .AddAlgolia(configuration)
            .AddHubSpot(configuration)
            .AddPusher(configuration)
            .AddEmail(configuration)
            .AddCoalescing(configuration);
    }
}
