using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Push;

/// <summary>Configuration section <c>Pusher</c>: the Channels app the processor publishes to.</summary>
public sealed partial class PusherOptions : IValidatableObject, Downstream.IDownstreamOptions
{
    public const string SectionName = "Pusher";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<PusherOptions> Validator = new(SectionName, new PusherOptionsValidator());

    [Required]
    public string AppId { get; set; } = string.Empty;

    /// <summary>App key (public; sent as <c>auth_key</c>).</summary>
    [Required]
    public string Key { get; set; } = string.Empty;

    /// <summary>App secret, the HMAC key of every request signature. Secret.</summary>
    [Required]
    public string Secret { get; set; } = string.Empty;

    /// <summary>Cluster, e.g. <c>eu</c> or <c>mt1</c>; names the default host.</summary>
    public string? Cluster { get; set; }

    /// <summary>Empty means <c>https://api-{Cluster}.pusher.com</c>.</summary>
    public string? BaseUrl { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public Uri BaseUri => new((string.IsNullOrWhiteSpace(BaseUrl) ? $"https://api-{Cluster}.pusher.com" : BaseUrl).TrimEnd('/') + "/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(BaseUrl))
        {
            if (string.IsNullOrWhiteSpace(Cluster) || !ClusterPattern().IsMatch(Cluster))
            {
                yield return new ValidationResult($"'{Cluster}' is not a Pusher cluster (e.g. 'eu', 'mt1'); set it, or set BaseUrl.", [nameof(Cluster)]);
            }
        }
        else if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"'{BaseUrl}' is not an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => $"Pusher app {AppId} at {BaseUri} (key {Key})";

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex ClusterPattern();
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="PusherOptions"/>.</summary>
[OptionsValidator]
public sealed partial class PusherOptionsValidator : IValidateOptions<PusherOptions>;
