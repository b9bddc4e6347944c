using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventProcessor.Activities.Coalescing;

/// <summary>Registration of section <c>Coalescing</c> (validated when the host starts) and <see cref="CoalescingActivities"/>.</summary>
public static class CoalescingServiceCollectionExtensions
{
    public static IServiceCollection AddCoalescing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CoalescingOptions>().Bind(configuration.GetSection(CoalescingOptions.SectionName)).ValidateWith(CoalescingOptions.Validator);
        services.TryAddSingleton<CoalescingActivities>();
        return services;
    }
}
