using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Exceptions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventProcessor.Workflows.Tests.Helpers;

/// <summary>Assertions and arrangements the catalog tests share.</summary>
public static class Downstream
{
    /// <summary>Exactly how many requests each stand-in received (every downstream request of a run is accounted for).</summary>
    public static void AssertRequestCounts(WorkflowHarness harness, int jira = 0, int platform = 0, int algolia = 0, int hubSpot = 0, int pusher = 0, int smtp = 0)
    {
        ArgumentNullException.ThrowIfNull(harness);
        var expected = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["Jira"] = jira,
            ["Platform"] = platform,
            ["Algolia"] = algolia,
            ["HubSpot"] = hubSpot,
            ["Pusher"] = pusher,
            ["Smtp"] = smtp,
        };
        Assert.Equal(expected, harness.Downstream.RequestCounts);
    }

    /// <summary>The run failed with a business failure of <paramref name="errorType"/> whose message contains every one of <paramref name="words"/>.</summary>
    public static ApplicationFailureException AssertBusinessFailure(WorkflowFailedException failure, string errorType, params string[] words)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var cause = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(errorType, cause.ErrorType);
        Assert.All(words, w => Assert.Contains(w, cause.Message, StringComparison.Ordinal));
        return cause;
    }

    /// <summary>The run failed because an activity failed with <paramref name="errorType"/> (e.g. <c>JiraUnauthorized</c>).</summary>
    public static ApplicationFailureException AssertActivityFailure(WorkflowFailedException failure, string errorType, params string[] words)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var activity = Assert.IsType<ActivityFailureException>(failure.InnerException);
        var cause = Assert.IsType<ApplicationFailureException>(activity.InnerException);
        Assert.Equal(errorType, cause.ErrorType);
        Assert.All(words, w => Assert.Contains(w, cause.Message, StringComparison.Ordinal));
        return cause;
    }

    /// <summary>
    /// The next issue creation in Jira succeeds (the issue <paramref name="issueKey"/> with
    /// <paramref name="label"/> exists afterwards) but its answer is lost (a gateway's 504), as when a
    /// timeout strikes after Jira wrote: only the label lookup of the retry keeps a second issue out.
    /// </summary>
    public static void JiraCreatesButTheAnswerIsLost(DownstreamStandIns downstream, string issueKey, string label)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        downstream.JiraServer
            .Given(Request.Create().WithPath(JiraStub.CreateIssuePath).UsingPost())
            .AtPriority(-200)
            .InScenario($"lost-answer-{Guid.NewGuid():N}")
            .WillSetStateTo("answered", 1)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var summary = StubJson.Body(request)?["fields"]?["summary"]?.GetValue<string>() ?? "created";
                downstream.Jira.Issue(new StubJiraIssue(issueKey, summary, Labels: [label]));
                return StubJson.Response(504, new { message = "Gateway Timeout" });
            }));
    }

    /// <summary>
    /// Issues of the Jira stand-in carrying <paramref name="label"/>, found the way the workflow finds
    /// them (a JQL search, so call it after asserting request counts).
    /// </summary>
    public static async Task<int> JiraIssuesLabelledAsync(DownstreamStandIns downstream, string label)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        using var http = new HttpClient { BaseAddress = new Uri(downstream.Jira.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{JiraStub.DefaultEmail}:{JiraStub.DefaultApiToken}")));
        var jql = Uri.EscapeDataString($"labels = \"{label}\"");
        var body = await http.GetStringAsync(new Uri($"{JiraStub.SearchPath}?jql={jql}&maxResults=50", UriKind.Relative));
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["issues"]!.AsArray().Count;
    }
}
