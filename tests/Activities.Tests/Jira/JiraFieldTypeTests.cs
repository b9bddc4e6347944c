using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace EventProcessor.Activities.Tests.Jira;

/// <summary>
/// Custom fields written in the form their type takes in REST v3 (Jira's "Edit issue" operation,
/// <c>PUT /rest/api/3/issue/{issueIdOrKey}</c>): text as a string, multi-line text as an ADF document,
/// numbers as numbers, select lists as <c>{"value"}</c>; the types read once from
/// <c>GET /rest/api/3/field</c> (the "Get fields" operation, <c>schema.type</c> and <c>schema.custom</c>).
/// The stub refuses other forms the way Jira does.
/// </summary>
public sealed class JiraFieldTypeTests : IAsyncLifetime
{
    private WorkflowHarness harness = null!;
    private readonly ActivityEnvironment environment = new();

    private JiraActivities Activities => harness.Get<JiraActivities>();

    [Fact]
    public async Task Each_field_gets_the_form_of_its_type_and_the_types_are_read_once()
    {
        var fields = new Dictionary<string, string?>
        {
            ["customfield_10042"] = "3f6c2a9e",
            ["customfield_10043"] = null,
            ["customfield_10050"] = "12",
            ["customfield_10051"] = "Enterprise",
            ["customfield_10052"] = "first line\nsecond line",
        };

        await environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-40", fields));
        await environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-40", fields));

        var puts = harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath("SUP-40"), "PUT");
        Assert.Equal(2, puts.Count);
        Json.Equal(
            """
            {"fields":{"customfield_10042":"3f6c2a9e","customfield_10043":null,"customfield_10050":12,
              "customfield_10051":{"value":"Enterprise"},
              "customfield_10052":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[
                 {"type":"text","text":"first line"},{"type":"hardBreak"},{"type":"text","text":"second line"}]}]}}}
            """,
            puts[0].Body);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.FieldsPath, "GET"));
        Assert.Equal(12, harness.Downstream.Jira.IssueOf("SUP-40")!.Fields!["customfield_10050"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_stub_refuses_a_value_not_of_the_fields_type_as_Jira_does()
    {
        using var http = new HttpClient { BaseAddress = new Uri(harness.Downstream.JiraServer.Url!) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{JiraStub.DefaultEmail}:{JiraStub.DefaultApiToken}")));

        using var response = await http.PutAsync(
            new Uri(JiraStub.IssuePath("SUP-40"), UriKind.Relative),
            new StringContent("""{"fields":{"customfield_10050":"12","customfield_10052":"plain"}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Operation value must be a number", body, StringComparison.Ordinal);
        Assert.Contains("Atlassian Document", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_fails_permanently_naming_it_after_reading_the_fields_again()
    {
        await environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-40", new Dictionary<string, string?> { ["customfield_10050"] = "1" }));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-40", new Dictionary<string, string?> { ["customfield_99999"] = "x" })));

        Assert.Equal("JiraFieldNotFound", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("customfield_99999", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.FieldsPath, "GET").Count);
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_for_a_number_field_fails_permanently_naming_the_field()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-40", new Dictionary<string, string?> { ["customfield_10050"] = "twelve" })));

        Assert.Equal("JiraInvalidFieldValue", failure.ErrorType);
        Assert.Contains("Seats (customfield_10050)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath("SUP-40"), "PUT"));
    }

    public async Task InitializeAsync()
    {
        harness = await WorkflowHarness.StartWithoutWorkerAsync();
        harness.Downstream.Jira
            .Field("customfield_10050", "Seats", StubJiraFieldType.Number)
            .Field("customfield_10051", "Plan", StubJiraFieldType.Option)
            .Field("customfield_10052", "Account notes", StubJiraFieldType.TextArea)
            .Issue(new StubJiraIssue("SUP-40", "x"));
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();
}
