using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Configuration;

/// <summary>
/// Binds a configuration section to options validated when the host starts, so a missing or
/// invalid setting stops the process with a message naming the setting (e.g. <c>Jira:BaseUrl</c>)
/// instead of failing on the first event.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(sectionName));
        return services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(sectionName))
            .ValidateOnStart();
    }

    /// <summary>Validates options outside a host (tests, the Lambda trigger's init); throws <see cref="OptionsValidationException"/>.</summary>
    public static TOptions Validate<TOptions>(TOptions options, string sectionName)
        where TOptions : class
    {
        var result = new SectionValidator<TOptions>(sectionName).Validate(null, options);
        return result.Failed ? throw new OptionsValidationException(sectionName, typeof(TOptions), result.Failures) : options;
    }

    private sealed class SectionValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            var failures = results
                .Select(r => $"Setting '{sectionName}:{string.Join(", ", r.MemberNames.DefaultIfEmpty("?"))}' is invalid: {r.ErrorMessage}")
                .ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
