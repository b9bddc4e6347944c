using EventProcessor.Activities.Configuration;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace EventProcessor.Activities.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>Templated email over SMTP: section <c>Smtp</c>, the renderer (templates parsed once), the sender and <see cref="EmailActivities"/>.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateWith(SmtpOptions.Validator);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EmailTemplateRenderer>();
        services.TryAddSingleton<EmailMessageFactory>();
        services.TryAddSingleton<SmtpEmailSender>();
        services.TryAddSingleton<EmailActivities>();
        return services;
    }
}
