using System.ComponentModel.DataAnnotations;
using EventProcessor.Hosting;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Configuration;

/// <summary>
/// Configuration section <c>Notifications</c>: who is internal, who is on call, which Jira
/// projects receive leads, incidents and delivery failures, and how Jira statuses map to
/// HubSpot pipeline stages.
/// </summary>
public sealed class NotificationsOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<NotificationsOptions> Validator = new(SectionName, new NotificationsOptionsValidator());

    /// <summary>Email domains of internal people, e.g. <c>example.com</c> (no <c>@</c>).</summary>
    [MinLength(1)]
    public List<string> InternalDomains { get; set; } = [];

    /// <summary>Addresses mailed for high/critical crawler incidents.</summary>
    public List<string> OnCallEmails { get; set; } = [];

    /// <summary>Jira project key of the lead-tracking ("MC") board.</summary>
    [Required]
    public string LeadProjectKey { get; set; } = string.Empty;

    /// <summary>Jira project key for crawler incidents.</summary>
    [Required]
    public string IncidentProjectKey { get; set; } = string.Empty;

    /// <summary>Jira project key for data-delivery failures.</summary>
    [Required]
    public string SupportProjectKey { get; set; } = string.Empty;

    /// <summary>Jira issue type used for tickets the processor creates.</summary>
    [Required]
    public string IssueTypeName { get; set; } = "Task";

    /// <summary>HubSpot pipeline id for support tickets (needed when the account has several pipelines).</summary>
    public string? HubSpotPipelineId { get; set; }

    /// <summary>Jira status name → HubSpot pipeline stage id; matched case-insensitively.</summary>
    public Dictionary<string, string> HubSpotStageByJiraStatus { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Jira custom field ids receiving the platform project's properties on TicketCreated.</summary>
    public ProjectFieldMap ProjectFields { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var domain in InternalDomains.Where(d => string.IsNullOrWhiteSpace(d) || d.Contains(' ', StringComparison.Ordinal)))
        {
            yield return new ValidationResult($"'{domain}' is not a domain.", [nameof(InternalDomains)]);
        }

        foreach (var email in OnCallEmails.Where(e => !e.Contains('@', StringComparison.Ordinal)))
        {
            yield return new ValidationResult($"'{email}' is not an email address.", [nameof(OnCallEmails)]);
        }
    }
}

/// <summary>Jira custom field ids (e.g. <c>customfield_10042</c>) that receive platform project properties.</summary>
public sealed class ProjectFieldMap
{
    public string? ProjectUuid { get; set; }

    public string? ProjectName { get; set; }

    public string? AccountId { get; set; }

    public string? Plan { get; set; }
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="NotificationsOptions"/>.</summary>
[OptionsValidator]
public sealed partial class NotificationsOptionsValidator : IValidateOptions<NotificationsOptions>;
