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
    public const int MaxSummaryLength = 255;

    public static Task<JiraIssueResult> CreateOnceAsync(string projectKey, string issueType, string summary, string description, string label)
    {
        var request = new JiraIssueRequest(projectKey, issueType, Summary(summary), description, label);
        return Workflow.ExecuteActivityAsync(
            (JiraActivities a) => a.CreateIssueOnceAsync(request),
            ActivityProfiles.Jira($"Create the {label} ticket in {projectKey} unless it exists"));
    }

    /// <summary>One line of at most <see cref="MaxSummaryLength"/> characters.</summary>
    internal static string Summary(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxSummaryLength ? line : string.Concat(line.AsSpan(0, MaxSummaryLength - 1), "…");
    }
}
