using EventProcessor.Activities.Jira;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Support;

/// <summary>
/// Tickets the processor opens (incidents, contact-form leads, delivery failures): one per business
/// object, looked up by a label unique to it before creating, so a retry or a redelivered event
/// finds the ticket instead of opening a second one.
/// </summary>
public static class JiraTickets
{
    /// <summary>Jira refuses summaries longer than this.</summary>
    public const int MaxSummaryLength = JiraText.MaxSummaryLength;

    public static Task<JiraIssueResult> CreateOnceAsync(string projectKey, string issueType, string summary, string description, string label)
    {
        var request = new JiraIssueRequest(projectKey, issueType, Summary(summary), description, label);
        return Workflow.ExecuteActivityAsync(
            (JiraActivities a) => a.CreateIssueOnceAsync(request),
            ActivityProfiles.JiraWrite($"Create the {label} ticket in {projectKey} unless it exists"));
    }

    /// <summary>One line of at most <see cref="MaxSummaryLength"/> characters (the activity clips again, so no caller can bypass it).</summary>
    internal static string Summary(string text) => JiraText.Summary(text);
}
