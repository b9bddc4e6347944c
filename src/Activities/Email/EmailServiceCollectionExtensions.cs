using EventProcessor.Activities.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventProcessor.Activities.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>Templated email over SMTP: section <c>Smtp</c>, the renderer (templates parsed once), the sender and <see cref="EmailActivities"/>.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SmtpOptions>(configuration, SmtpOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EmailTemplateRenderer>();
        services.TryAddSingleton<EmailMessageFactory>();
        services.TryAddSingleton<SmtpEmailSender>();
        services.TryAddSingleton<EmailActivities>();
        return services;
    }
}
