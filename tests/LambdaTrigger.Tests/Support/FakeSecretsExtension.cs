using System.Text.Json;
using EventProcessor.LambdaTrigger.Configuration;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace EventProcessor.LambdaTrigger.Tests.Support;

/// <summary>
/// The AWS Parameters and Secrets Lambda Extension on loopback: answers
/// <c>GET /secretsmanager/get?secretId=…</c> with the GetSecretValue JSON for the secrets it was
/// given, only when the session-token header matches, as the real extension does.
/// </summary>
internal sealed class FakeSecretsExtension : IDisposable
{
    public const string SessionToken = "fake-session-token-3c1d";

    private readonly WireMockServer server;

    public FakeSecretsExtension(IReadOnlyDictionary<string, string> secrets)
    {
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://{Endpoints.ClosedPort()}"] });

        // Catch-alls first, at a lower priority: a wrong token is refused, an unknown secret is a 400 as from Secrets Manager.
        server.Given(Request.Create().UsingGet().WithPath("/secretsmanager/get")).AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("unauthorized"));
        server.Given(Request.Create().UsingGet().WithPath("/secretsmanager/get").WithHeader(SecretsExtensionOptions.TokenHeader, SessionToken)).AtPriority(50)
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("ResourceNotFoundException"));
        foreach (var (id, value) in secrets)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["ARN"] = id, ["Name"] = id, ["SecretString"] = value });
            server.Given(Request.Create().UsingGet().WithPath("/secretsmanager/get").WithParam("secretId", id)
                    .WithHeader(SecretsExtensionOptions.TokenHeader, SessionToken)).AtPriority(1)
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        }
    }

    public SecretsExtensionOptions Options(string? token = SessionToken) =>
        new(new Uri(server.Url! + "/"), token, TimeSpan.Zero);

    /// <summary>The secret ids asked for, in order, with the token header each request carried.</summary>
    public IReadOnlyList<(string? SecretId, string? Token)> Requests =>
        server.LogEntries
            .Select(e => (
                e.RequestMessage.Query is { } q && q.TryGetValue("secretId", out var ids) ? ids.FirstOrDefault() : null,
                e.RequestMessage.Headers is { } h && h.TryGetValue(SecretsExtensionOptions.TokenHeader, out var tokens) ? tokens.FirstOrDefault() : null))
            .ToList();

    /// <summary>Options pointing at a loopback port where nothing listens, not retried.</summary>
    public static SecretsExtensionOptions Unreachable() =>
        new(new Uri($"http://{Endpoints.ClosedPort()}/"), SessionToken, TimeSpan.Zero);

    public void Dispose() => server.Dispose();
}
