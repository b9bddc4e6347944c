using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.HubSpot;

/// <summary>Configuration section <c>HubSpot</c>: the private app's token and the account's time zone.</summary>
public sealed class HubSpotOptions : IValidatableObject, Downstream.IDownstreamOptions
{
    public const string SectionName = "HubSpot";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<HubSpotOptions> Validator = new(SectionName, new HubSpotOptionsValidator());

    [Required]
    public string BaseUrl { get; set; } = "https://api.hubapi.com";

    /// <summary>Private-app access token (scopes: contacts and tickets read/write). Secret.</summary>
    [Required]
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>
    /// IANA time zone of the HubSpot account: the DAILY rate limit resets at its midnight, so a
    /// DAILY 429 is retried then.
    /// </summary>
    [Required]
    public string AccountTimeZone { get; set; } = "UTC";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");

    // A method, not a property: the configuration binder would try to bind a TimeZoneInfo property.
    public TimeZoneInfo AccountTimeZoneInfo() => TimeZoneInfo.FindSystemTimeZoneById(AccountTimeZone);

    public AuthenticationHeaderValue Authorization() => new("Bearer", AccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"'{BaseUrl}' is not an absolute http(s) URL.", [nameof(BaseUrl)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(AccountTimeZone ?? string.Empty, out _))
        {
            yield return new ValidationResult($"'{AccountTimeZone}' is not a known IANA time zone.", [nameof(AccountTimeZone)]);
        }
    }

    /// <summary>Never shows the token.</summary>
    public override string ToString() => $"HubSpot {BaseUrl} (account time zone {AccountTimeZone})";
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="HubSpotOptions"/>.</summary>
[OptionsValidator]
public sealed partial class HubSpotOptionsValidator : IValidateOptions<HubSpotOptions>;
