using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Text;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Jira;

/// <summary>Configuration section <c>Jira</c>: the Jira Cloud site and the API account that writes to it.</summary>
public sealed class JiraOptions : IValidatableObject, Downstream.IDownstreamOptions
{
    public const string SectionName = "Jira";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<JiraOptions> Validator = new(SectionName, new JiraOptionsValidator());

    /// <summary>Site URL, e.g. <c>https://example.atlassian.net</c>; also used for browse links.</summary>
    [Required]
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>Email of the API account (every comment is authored by it).</summary>
    [Required]
    [EmailAddress]
    public string Email { get; set; } = string.Empty;

    /// <summary>API token of that account. Secret.</summary>
    [Required]
    public string ApiToken { get; set; } = string.Empty;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>
    /// How long after a create whose outcome is unknown (timeout, 5xx, connection lost) a retry keeps
    /// looking for the issue's label before creating again. Jira's search may miss a new issue for
    /// "a few seconds to minutes"; the normal path never waits.
    /// </summary>
    [Range(0, 3600)]
    public int SearchLagWindowSeconds { get; set; } = 120;

    /// <summary>First pause between looks within <see cref="SearchLagWindowSeconds"/>; it doubles up to 30 s.</summary>
    [Range(1, 60)]
    public int SearchPollSeconds { get; set; } = 5;

    public TimeSpan SearchLagWindow => TimeSpan.FromSeconds(SearchLagWindowSeconds);

    public TimeSpan SearchPoll => TimeSpan.FromSeconds(SearchPollSeconds);

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");

    /// <summary>The link a person opens to see the ticket.</summary>
    public string BrowseUrl(string issueKey) => $"{BaseUrl.TrimEnd('/')}/browse/{issueKey}";

    /// <summary>Basic base64(email:api_token), as Jira Cloud expects for API tokens.</summary>
    public AuthenticationHeaderValue Authorization() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}:{ApiToken}")));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"'{BaseUrl}' is not an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }

    /// <summary>Never shows the token.</summary>
    public override string ToString() => $"Jira {BaseUrl} as {Email}";
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="JiraOptions"/>.</summary>
[OptionsValidator]
public sealed partial class JiraOptionsValidator : IValidateOptions<JiraOptions>;
