using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EventProcessor.Activities.Algolia;

/// <summary>Configuration section <c>Algolia</c>: the application, the write key and the projects index.</summary>
public sealed partial class AlgoliaOptions : IValidatableObject, Downstream.IDownstreamOptions
{
    public const string SectionName = "Algolia";

    /// <summary>Application id, e.g. <c>LATENCY</c>; also names the default host.</summary>
    [Required]
    public string ApplicationId { get; set; } = string.Empty;

    /// <summary>API key with the <c>addObject</c> ACL on the projects index. Secret.</summary>
    [Required]
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// One base URL for every call; empty means <c>https://{ApplicationId}.algolia.net</c> (the write host).
    /// The fallback hosts (<c>{ApplicationId}-1..3.algolianet.com</c>) would sit behind this single value.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Index holding one record per platform project (objectID = project uuid).</summary>
    [Required]
    public string ProjectsIndex { get; set; } = string.Empty;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public Uri BaseUri => new((string.IsNullOrWhiteSpace(BaseUrl) ? $"https://{ApplicationId}.algolia.net" : BaseUrl).TrimEnd('/') + "/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The id becomes part of the default host name.
        if (!string.IsNullOrEmpty(ApplicationId) && !ApplicationIdPattern().IsMatch(ApplicationId))
        {
            yield return new ValidationResult($"'{ApplicationId}' is not an Algolia application id (letters and digits).", [nameof(ApplicationId)]);
        }

        if (!string.IsNullOrWhiteSpace(BaseUrl)
            && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult($"'{BaseUrl}' is not an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }

    /// <summary>Never shows the key.</summary>
    public override string ToString() => $"Algolia {ApplicationId} at {BaseUri} (index {ProjectsIndex})";

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex ApplicationIdPattern();
}
