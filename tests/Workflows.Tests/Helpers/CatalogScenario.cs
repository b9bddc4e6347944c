using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;

namespace EventProcessor.Workflows.Tests.Helpers;

/// <summary>
/// The Acme Retail project of the samples (same uuid, report and user ids): two reports, users with
/// and without the topics the workflows mail about (one subscribed without an email, one subscribed
/// in other letter case), two accounts, and its existing search record.
/// </summary>
public static class CatalogScenario
{
    public const string Index = DownstreamStandIns.ProjectsIndex;
    public const string ProjectUuid = "3f6c2a9e-8d41-4b7a-9c1e-5a2d7e0b4c91";
    public const string ProjectName = "Acme Retail price tracking";

    public static readonly StubPlatformProject Project = new(
        ProjectUuid,
        ProjectName,
        AccountId: "acc-2002",
        Metadata: new Dictionary<string, object?> { ["industry"] = "retail", ["markets"] = new[] { "DE", "AT" } });

    public static readonly StubPlatformReport DailyPrices = new("rpt-58213", ProjectUuid, "Daily competitor prices", "failed");
    public static readonly StubPlatformReport Assortment = new("rpt-58290", ProjectUuid, "Weekly assortment");

    /// <summary>The user of the UserProjectAdded sample; subscribed to <c>projectAccess</c>.</summary>
    public static readonly StubPlatformUser AddedUser = new("usr-4410", "jonas.weber@acme-retail.com", "Jonas Weber", ["projectAccess"]);

    public static readonly StubPlatformUser Lena = new("usr-1", "lena.fischer@acme-retail.com", "Lena Fischer", ["runFailures", "deliveryFailures"]);

    /// <summary>Subscribed as <c>RunFailures</c>: topics match case-insensitively.</summary>
    public static readonly StubPlatformUser Ops = new("usr-2", "ops@example-platform.com", "Ops", ["RunFailures", "DeliveryFailures"]);

    public static readonly StubPlatformUser WithoutEmail = new("usr-5", null, "No Email", ["runFailures", "deliveryFailures"]);
    public static readonly StubPlatformUser Quiet = new("usr-3", "quiet@acme-retail.com", "Quiet", ["ticketComments"]);

    public static readonly StubPlatformAccount FromAccount = new("acc-1001", "Acme Retail GmbH", "owner@acme-retail.com");
    public static readonly StubPlatformAccount ToAccount = new("acc-2002", "Acme Holding", "finance@acme-holding.com");

    /// <summary>The subscribers of <c>runFailures</c> and <c>deliveryFailures</c> that can be mailed.</summary>
    public static readonly string[] FailureSubscribers = ["lena.fischer@acme-retail.com", "ops@example-platform.com"];

    public static void Arrange(DownstreamStandIns downstream)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        downstream.Platform
            .Project(Project)
            .ProjectReports(ProjectUuid, DailyPrices, Assortment)
            .ProjectUsers(ProjectUuid, AddedUser, Lena, Ops, WithoutEmail, Quiet)
            .Report(DailyPrices)
            .Report(Assortment)
            .Account(FromAccount)
            .Account(ToAccount);
        downstream.Algolia.Record(Index, ProjectUuid, new JsonObject
        {
            ["name"] = ProjectName,
            ["status"] = "active",
            ["reports"] = new JsonArray(),
        });
    }

    /// <summary>The project's search record now.</summary>
    public static JsonObject SearchRecord(DownstreamStandIns downstream) =>
        downstream.Algolia.RecordOf(Index, ProjectUuid) ?? throw new InvalidOperationException("The project has no search record.");
}
