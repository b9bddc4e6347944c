using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Algolia;

/// <summary>Configuration section <c>Algolia</c>: the application, the write key and the projects index.</summary>
public sealed partial class AlgoliaOptions : IValidatableObject, Downstream.IDownstreamOptions
{
    public const string SectionName = "Algolia";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<AlgoliaOptions> Validator = new(SectionName, new AlgoliaOptionsValidator());

    /// <summary>Application id, e.g. <c>LATENCY</c>; also names the default host.</summary>
    [Required]
    public string ApplicationId { get; set; } = string.Empty;

    /// <summary>API key with the <c>addObject</c> and <c>browse</c> ACLs on the projects index (browse: the nightly reconciliation). Secret.</summary>
    [Required]
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// One base URL for every call; empty means <c>https://{ApplicationId}.algolia.net</c> (the write host).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Hosts tried, in random order, when the base URL cannot be connected to (Algolia's documented
    /// retry strategy: <c>{ApplicationId}-1..3.algolianet.com</c> sit behind another DNS provider).
    /// Empty means those three when <see cref="BaseUrl"/> is empty, and none when it is set.
    /// </summary>
    public IList<string> FallbackBaseUrls { get; } = [];

    /// <summary>
    /// Largest record the plan accepts, in bytes of minified JSON: 10,000 on the Build plan, up to
    /// 100,000 on others (Algolia answers "Record ... is too big" above it).
    /// </summary>
    [Range(1_000, 100_000)]
    public int MaxRecordBytes { get; set; } = 10_000;

    /// <summary>Index holding one record per platform project (objectID = project uuid).</summary>
    [Required]
    public string ProjectsIndex { get; set; } = string.Empty;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public Uri BaseUri => new((string.IsNullOrWhiteSpace(BaseUrl) ? $"https://{ApplicationId}.algolia.net" : BaseUrl).TrimEnd('/') + "/");

    /// <summary>The fallback hosts in effect (see <see cref="FallbackBaseUrls"/>).</summary>
    public IReadOnlyList<Uri> FallbackBaseUris =>
        FallbackBaseUrls.Count > 0
            ? [.. FallbackBaseUrls.Select(u => new Uri(u.TrimEnd('/') + "/"))]
            : string.IsNullOrWhiteSpace(BaseUrl)
                ? [.. Enumerable.Range(1, 3).Select(n => new Uri($"https://{ApplicationId}-{n}.algolianet.com/"))]
                : [];

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

        foreach (var fallback in FallbackBaseUrls)
        {
            if (!Uri.TryCreate(fallback, UriKind.Absolute, out var f) || f.Scheme is not ("https" or "http"))
            {
                yield return new ValidationResult($"'{fallback}' is not an absolute http(s) URL.", [nameof(FallbackBaseUrls)]);
            }
        }
    }

    /// <summary>Never shows the key.</summary>
    public override string ToString() => $"Algolia {ApplicationId} at {BaseUri} (index {ProjectsIndex})";

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex ApplicationIdPattern();
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="AlgoliaOptions"/>.</summary>
[OptionsValidator]
public sealed partial class AlgoliaOptionsValidator : IValidateOptions<AlgoliaOptions>;
