using WireMock.Server;

namespace EventProcessor.DownstreamStubs;

/// <summary>
/// Every downstream system at once, on loopback: stateful WireMock stand-ins for Jira/JSM, the
/// platform API, Algolia, HubSpot and Pusher, and an SMTP sink. <see cref="Configuration"/> holds
/// the settings (in .NET configuration key form) that point the activities at them, so workflow
/// tests and the local run wire the product exactly the same way.
/// </summary>
public sealed class DownstreamStandIns : IAsyncDisposable
{
    public const string ProjectsIndex = "projects";
    public const string InternalDomain = "example-platform.com";
    public const string LeadProjectKey = "MC";
    public const string IncidentProjectKey = "INC";
    public const string SupportProjectKey = "SUP";

    private readonly WireMockServer[] servers;

    private DownstreamStandIns(SmtpSink smtp)
    {
        JiraServer = WireMockServer.Start();
        PlatformServer = WireMockServer.Start();
        AlgoliaServer = WireMockServer.Start();
        HubSpotServer = WireMockServer.Start();
        PusherServer = WireMockServer.Start();
        servers = [JiraServer, PlatformServer, AlgoliaServer, HubSpotServer, PusherServer];
        Jira = new JiraStub(JiraServer, clock: Clock);
        Platform = new PlatformStub(PlatformServer);
        Algolia = new AlgoliaStub(AlgoliaServer).Index(ProjectsIndex);
        HubSpot = new HubSpotStub(HubSpotServer, clock: Clock);
        Pusher = new PusherStub(PusherServer, time: Clock);
        Smtp = smtp;
        Configuration = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Jira:BaseUrl"] = JiraServer.Url,
            ["Jira:Email"] = JiraStub.DefaultEmail,
            ["Jira:ApiToken"] = JiraStub.DefaultApiToken,
            ["Platform:BaseUrl"] = PlatformServer.Url,
            ["Platform:Token"] = PlatformStub.DefaultToken,
            ["Algolia:ApplicationId"] = AlgoliaStub.DefaultApplicationId,
            ["Algolia:ApiKey"] = AlgoliaStub.DefaultApiKey,
            ["Algolia:BaseUrl"] = AlgoliaServer.Url,
            ["Algolia:ProjectsIndex"] = ProjectsIndex,
            ["HubSpot:BaseUrl"] = HubSpotServer.Url,
            ["HubSpot:AccessToken"] = HubSpotStub.DefaultAccessToken,
            ["Pusher:AppId"] = PusherStub.DefaultAppId,
            ["Pusher:Key"] = PusherStub.DefaultKey,
            ["Pusher:Secret"] = PusherStub.DefaultSecret,
            ["Pusher:BaseUrl"] = PusherServer.Url,
            ["Smtp:Host"] = smtp.Host,
            ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:FromAddress"] = $"notifications@{InternalDomain}",
            ["Smtp:FromName"] = "Event Processor",
            ["Notifications:InternalDomains:0"] = InternalDomain,
            ["Notifications:OnCallEmails:0"] = $"oncall@{InternalDomain}",
            ["Notifications:LeadProjectKey"] = LeadProjectKey,
            ["Notifications:IncidentProjectKey"] = IncidentProjectKey,
            ["Notifications:SupportProjectKey"] = SupportProjectKey,
            ["Notifications:IssueTypeName"] = "Task",
            ["Notifications:HubSpotPipelineId"] = "0",
            ["Notifications:HubSpotStageByJiraStatus:Open"] = "1",
            ["Notifications:HubSpotStageByJiraStatus:Waiting for support"] = "1",
            ["Notifications:HubSpotStageByJiraStatus:In Progress"] = "2",
            ["Notifications:HubSpotStageByJiraStatus:Waiting for customer"] = "3",
            ["Notifications:HubSpotStageByJiraStatus:Done"] = "4",
            ["Notifications:ProjectFields:ProjectUuid"] = "customfield_10042",
            ["Notifications:ProjectFields:ProjectName"] = "customfield_10043",
        };
    }

    /// <summary>
    /// The clock of the stand-ins (search lag, timestamps, Pusher's signature window). Give it to the
    /// activities too (as their <see cref="TimeProvider"/>) so waits for search to catch up take no real time.
    /// </summary>
    public StandInClock Clock { get; } = new();

    public WireMockServer JiraServer { get; }

    public WireMockServer PlatformServer { get; }

    public WireMockServer AlgoliaServer { get; }

    public WireMockServer HubSpotServer { get; }

    public WireMockServer PusherServer { get; }

    public JiraStub Jira { get; }

    public PlatformStub Platform { get; }

    public AlgoliaStub Algolia { get; }

    public HubSpotStub HubSpot { get; }

    public PusherStub Pusher { get; }

    public SmtpSink Smtp { get; }

    /// <summary>Settings that point every integration at these stand-ins.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; }

    /// <summary>Requests each HTTP stand-in received so far, by API name.</summary>
    public IReadOnlyDictionary<string, int> RequestCounts => new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Jira"] = JiraServer.LogEntries.Count(),
        ["Platform"] = PlatformServer.LogEntries.Count(),
        ["Algolia"] = AlgoliaServer.LogEntries.Count(),
        ["HubSpot"] = HubSpotServer.LogEntries.Count(),
        ["Pusher"] = PusherServer.LogEntries.Count(),
        ["Smtp"] = Smtp.Messages.Count,
    };

    public static async Task<DownstreamStandIns> StartAsync(CancellationToken cancellationToken = default)
    {
        var smtp = await SmtpSink.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new DownstreamStandIns(smtp);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            server.Stop();
            server.Dispose();
        }

        await Smtp.DisposeAsync().ConfigureAwait(false);
    }
}
