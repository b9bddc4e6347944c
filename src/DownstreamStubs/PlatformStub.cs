using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.DownstreamStubs;

public sealed record StubPlatformProject(
    string Uuid,
    string Name,
    string Status = "active",
    string AccountId = "acc-1001",
    string? OwnerEmail = "owner@customer.example",
    string? Plan = "pro",
    DateTimeOffset? UpdatedAt = null,
    IReadOnlyDictionary<string, object?>? Metadata = null);

public sealed record StubPlatformReport(string Id, string ProjectUuid, string Name, string Status = "active", DateTimeOffset? UpdatedAt = null);

public sealed record StubPlatformUser(string UserId, string? Email, string Name, IReadOnlyList<string> Subscriptions);

public sealed record StubPlatformAccount(string AccountId, string Name, string? OwnerEmail);

/// <summary>
/// The platform API of docs/platform-api.md on a WireMock server: Bearer auth (other tokens get
/// 401), <c>{error, code}</c> error bodies, 404 for anything not stubbed (e.g. a ticket linked to no project).
/// </summary>
public sealed class PlatformStub
{
    public const string DefaultToken = "platform-stub-token";

    /// <summary>Stubbed calls outrank the catch-all 404/401 answer (WireMock: lower value wins).</summary>
    private const int CatchAllPriority = 1000;

    private static readonly DateTimeOffset DefaultUpdatedAt = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    private readonly WireMockServer server;
    private readonly string authorization;

    public PlatformStub(WireMockServer server, string token = DefaultToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        authorization = $"Bearer {token}";
        server.Given(Request.Create().WithPath(new WildcardMatcher("/api/*")).UsingAnyMethod())
            .AtPriority(CatchAllPriority)
            .RespondWith(Response.Create().WithCallback(request =>
                string.Equals(StubJson.Header(request, "Authorization"), authorization, StringComparison.Ordinal)
                    ? StubJson.Response(404, Error("Not found", "not_found"))
                    : StubJson.Response(401, Error("Missing or invalid bearer token", "unauthorized"))));
    }

    public string BaseUrl => server.Url!;

    public static string ProjectPath(string uuid) => $"/api/projects/{uuid}";

    public static string ProjectReportsPath(string uuid) => $"/api/projects/{uuid}/reports";

    public static string ProjectUsersPath(string uuid) => $"/api/projects/{uuid}/users";

    public static string ReportPath(string id) => $"/api/reports/{id}";

    public static string TicketProjectPath(string ticketKey) => $"/api/tickets/{ticketKey}/project";

    public static string UserPath(string userId) => $"/api/users/{userId}";

    public static string AccountPath(string accountId) => $"/api/accounts/{accountId}";

    public static string SchemaSyncPath(string reportId) => $"/api/reports/{reportId}/schema/sync";

    public PlatformStub Project(StubPlatformProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return Get(ProjectPath(project.Uuid), ProjectJson(project));
    }

    public PlatformStub ProjectReports(string projectUuid, params StubPlatformReport[] reports) =>
        Get(ProjectReportsPath(projectUuid), new JsonArray([.. reports.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["name"] = r.Name,
            ["status"] = r.Status,
            ["updatedAt"] = r.UpdatedAt ?? DefaultUpdatedAt,
        })]));

    public PlatformStub ProjectUsers(string projectUuid, params StubPlatformUser[] users) =>
        Get(ProjectUsersPath(projectUuid), new JsonArray([.. users.Select(u => JsonSerializer.SerializeToNode(u, StubJson.Options))]));

    public PlatformStub Report(StubPlatformReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Get(ReportPath(report.Id), JsonSerializer.SerializeToNode(report with { UpdatedAt = report.UpdatedAt ?? DefaultUpdatedAt }, StubJson.Options)!);
    }

    /// <summary>Links the ticket to the project (an unlinked ticket answers 404).</summary>
    public PlatformStub TicketProject(string ticketKey, StubPlatformProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return Get(TicketProjectPath(ticketKey), ProjectJson(project));
    }

    public PlatformStub User(StubPlatformUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Get(UserPath(user.UserId), JsonSerializer.SerializeToNode(user, StubJson.Options)!);
    }

    public PlatformStub Account(StubPlatformAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Get(AccountPath(account.AccountId), JsonSerializer.SerializeToNode(account, StubJson.Options)!);
    }

    /// <summary>The schema sync answers 202 with the same job id however often it is called (idempotent on the platform side).</summary>
    public PlatformStub SchemaSync(string reportId, string jobId)
    {
        server.Given(Request.Create().WithPath(SchemaSyncPath(reportId)).UsingPost().WithHeader("Authorization", authorization))
            .RespondWith(Json(202, new JsonObject { ["jobId"] = jobId }));
        return this;
    }

    /// <summary>The next calls of <paramref name="path"/> fail with the platform's <c>{error, code}</c> body.</summary>
    public PlatformStub FailNext(string path, int status, int? retryAfterSeconds = null, int times = 1, string? error = null, string? code = null)
    {
        var body = Error(error ?? $"Request failed with status {status}", code ?? CodeOf(status));
        server.FailNext(path, status, body.ToJsonString(), retryAfterSeconds, times);
        return this;
    }

    private static string CodeOf(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        429 => "rate_limited",
        _ => "internal_error",
    };

    private static JsonObject Error(string error, string code) => new() { ["error"] = error, ["code"] = code };

    private static JsonNode ProjectJson(StubPlatformProject project) => new JsonObject
    {
        ["uuid"] = project.Uuid,
        ["name"] = project.Name,
        ["status"] = project.Status,
        ["accountId"] = project.AccountId,
        ["ownerEmail"] = project.OwnerEmail,
        ["plan"] = project.Plan,
        ["updatedAt"] = project.UpdatedAt ?? DefaultUpdatedAt,
        ["metadata"] = JsonSerializer.SerializeToNode(project.Metadata ?? new Dictionary<string, object?>(), StubJson.Options),
    };

    private static IResponseBuilder Json(int status, JsonNode body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString(StubJson.Options));

    private PlatformStub Get(string path, JsonNode body)
    {
        server.Given(Request.Create().WithPath(path).UsingGet().WithHeader("Authorization", authorization))
            .RespondWith(Json(200, body));
        return this;
    }
}
