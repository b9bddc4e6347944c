using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EventProcessor.Intake;

/// <summary>
/// The intake as a reusable piece: any ASP.NET Core host (the local run, the CLI's tests, the
/// standalone <c>bootstrap --intake</c>) calls <see cref="AddEventIntake"/> and <see cref="MapEventIntake"/>.
/// </summary>
public static class EventIntakeExtensions
{
    /// <summary>
    /// Registers the trigger from <paramref name="configuration"/> (sections <c>Temporal</c>, <c>Events</c>, <c>Intake</c>).
    /// An <see cref="IWorkflowStarter"/> registered before this call replaces the Temporal one.
    /// </summary>
    public static IServiceCollection AddEventIntake(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(configuration.GetSection(EventIntakeOptions.SectionName).Get<EventIntakeOptions>() ?? new EventIntakeOptions());
        services.TryAddSingleton(sp => TriggerComposition.Create(configuration, sp.GetRequiredService<ILoggerFactory>(), sp.GetService<IWorkflowStarter>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<TriggerComposition>().Handler);
        return services;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c>. The trigger is built here, so a misconfiguration stops the host
    /// at startup with a message naming the setting instead of failing the first request.
    /// </summary>
    public static RouteHandlerBuilder MapEventIntake(this IEndpointRouteBuilder endpoints, string pattern = "/events")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetRequiredService<TriggerComposition>();
        return endpoints.MapPost(pattern, EventIntakeEndpoint.HandleAsync)
            .WithName("EventIntake")
            .DisableAntiforgery();
    }
}
