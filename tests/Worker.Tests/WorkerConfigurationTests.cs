using System.Security.Cryptography;

namespace EventProcessor.Worker.Tests;

/// <summary>The worker executable's start with bad settings: exit code 1 and a message naming the setting.</summary>
public sealed class WorkerConfigurationTests
{
    private static readonly string ValidKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    // A configuration the integrations and the encryption accept, so each case breaks exactly one setting.
    private static readonly string[] ValidIntegrations =
    [
        "--Encryption:CurrentKeyId=2026-11", $"--Encryption:Keys:2026-11={ValidKey}",
        "--Jira:BaseUrl=https://acme.atlassian.net", "--Jira:Email=bot@example.com", "--Jira:ApiToken=jira-token-not-for-logs",
        "--Platform:BaseUrl=https://platform.example.com", "--Platform:Token=platform-token-not-for-logs",
        "--Algolia:ApplicationId=APP1", "--Algolia:ApiKey=algolia-key-not-for-logs", "--Algolia:ProjectsIndex=projects",
        "--HubSpot:AccessToken=hubspot-token-not-for-logs",
        "--Pusher:AppId=1", "--Pusher:Key=key", "--Pusher:Secret=pusher-secret-not-for-logs", "--Pusher:Cluster=eu",
        "--Smtp:Host=smtp.example.com", "--Smtp:Port=587", "--Smtp:FromAddress=noreply@example.com", "--Smtp:Username=mailer", "--Smtp:Password=smtp-password-not-for-logs",
        "--Notifications:InternalDomains:0=example.com", "--Notifications:LeadProjectKey=MC", "--Notifications:IncidentProjectKey=INC",
        "--Notifications:SupportProjectKey=SUP", "--Notifications:IssueTypeName=Task",
        "--Urls=http://127.0.0.1:0",
    ];

    [Theory]
    [InlineData("Temporal:Address", "http://temporal.internal:7233")]
    [InlineData("Temporal:Address", "temporal.internal")]
    [InlineData("Temporal:ApiKey", " ")]
    [InlineData("Temporal:Tls:ClientCertPath", "/nonexistent/client.pem")]
    [InlineData("Worker:ShutdownTimeoutSeconds", "-1")]
    [InlineData("Worker:MaxConcurrentActivities", "0")]
    [InlineData("Worker:MaxConcurrentWorkflowTasks", "lots")]
    [InlineData("Worker:WorkflowTaskPollers", "1")]
    [InlineData("Jira:BaseUrl", "not a url")]
    [InlineData("Smtp:Port", "0")]
    [InlineData("Encryption:Keys:2026-11", "not base64!")]
    [InlineData("Encryption:Keys:2026-11", "c2hvcnQ=")]
    [InlineData("Encryption:CurrentKeyId", "2025-05")]
    [InlineData("Encryption:Enabled", "maybe")]
    [InlineData("Encryption:KeyFiles:2025-05", "/nonexistent/key")]
    public async Task A_bad_setting_stops_the_worker_with_a_message_naming_it(string setting, string value)
    {
        using var error = new StringWriter();

        var exitCode = await WorkerHost.RunAsync([.. ValidIntegrations, $"--{setting}={value}"], error);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{setting}", error.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("worker: invalid configuration:", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-logs", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ValidKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_encryption_key_the_worker_refuses_to_start_naming_the_setting()
    {
        using var error = new StringWriter();

        var exitCode = await WorkerHost.RunAsync([.. ValidIntegrations.Where(a => !a.StartsWith("--Encryption:", StringComparison.Ordinal))], error);

        Assert.Equal(1, exitCode);
        Assert.Contains("Encryption:CurrentKeyId (environment variable Encryption__CurrentKeyId) is required", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_integration_section_is_named_too()
    {
        using var error = new StringWriter();

        var exitCode = await WorkerHost.RunAsync([.. ValidIntegrations.Where(a => !a.StartsWith("--HubSpot:", StringComparison.Ordinal))], error);

        Assert.Equal(1, exitCode);
        Assert.Contains("HubSpot:AccessToken", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_temporal_api_key_never_appears_in_a_configuration_error()
    {
        using var error = new StringWriter();

        var exitCode = await WorkerHost.RunAsync(
            [.. ValidIntegrations, "--Temporal:ApiKey=tcld-key-not-for-logs", "--Worker:ActivityTaskPollers=0"], error);

        Assert.Equal(1, exitCode);
        Assert.Contains("Worker:ActivityTaskPollers", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-logs", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_cannot_reach_Temporal_stops_with_a_failure_exit_code()
    {
        using var error = new StringWriter();

        var exitCode = await WorkerHost.RunAsync([.. ValidIntegrations, "--Temporal:Address=127.0.0.1:1"], error);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("worker: stopped:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.ToString(), StringComparison.Ordinal);
    }
}
