using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Platform;

/// <summary>Configuration section <c>Platform</c>: the platform's own services (docs/platform-api.md).</summary>
public sealed class PlatformOptions : IValidatableObject, Downstream.IDownstreamOptions
{
    public const string SectionName = "Platform";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<PlatformOptions> Validator = new(SectionName, new PlatformOptionsValidator());

    [Required]
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>Bearer token of the processor. Secret.</summary>
    [Required]
    public string Token { get; set; } = string.Empty;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");

    public AuthenticationHeaderValue Authorization() => new("Bearer", Token);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"'{BaseUrl}' is not an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }

    /// <summary>Never shows the token.</summary>
    public override string ToString() => $"Platform {BaseUrl}";
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="PlatformOptions"/>.</summary>
[OptionsValidator]
public sealed partial class PlatformOptionsValidator : IValidateOptions<PlatformOptions>;
