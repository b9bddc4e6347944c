using EventProcessor.Hosting;
using System.Net;
using System.Security.Claims;
using EventProcessor.CodecServer;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace EventProcessor.Encryption.Tests;

public sealed class CodecServerTests
{
    private const string Token = "support-cli-token-0123456789abcdef";
    private const string UiOrigin = "https://temporal-ui.example.com";
    private const string Issuer = "https://login.example.com";
    private const string Audience = "eventprocessor-codec";
    private const string Email = "sam.okafor@acme-retail.com";
    private const string ResetUrl = "https://app.example-platform.com/reset-password?token=q8Zr1vT0xLm4";

    private readonly string key = TestKeys.NewBase64();
    private readonly byte[] jwtKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private (string Key, string? Value)[] Settings(params (string Key, string? Value)[] extra) =>
    [
        ("Encryption:CurrentKeyId", "k1"),
        ("Encryption:Keys:k1", key),
        ("CodecServer:Tokens:support-cli", Token),
        ("CodecServer:AllowedOrigins:0", UiOrigin),
        ("CodecServer:Jwt:SigningKey", Convert.ToBase64String(jwtKey)),
        ("CodecServer:Jwt:Issuer", Issuer),
        ("CodecServer:Jwt:Audience", Audience),
        ("CodecServer:Access:Namespaces:0", "default"),
        ("CodecServer:Access:Namespaces:1", "events-prod"),
        ("CodecServer:Access:AllowedEmails:0", "support.agent@example.com"),
        .. extra,
    ];

    private AesGcmPayloadCodec Codec => new(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = key }));

    private static Payload Secret() => DataConverter.Default.PayloadConverter.ToPayload(new { email = Email, resetUrl = ResetUrl });

    private async Task<Payload> EncryptedSecretAsync() => Assert.Single(await Codec.EncodeAsync([Secret()]));

    private string Jwt(string audience = Audience, DateTime? expires = null, byte[]? signingKey = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", "00u1a2b3c4"), new Claim("email", "support.agent@example.com")]),
        NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
        Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? jwtKey), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task Decode_with_a_valid_token_returns_the_original_payloads_and_logs_no_contents()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());
        var encrypted = await EncryptedSecretAsync();
        var plain = DataConverter.Default.PayloadConverter.ToPayload("not encrypted");

        using var response = await server.PostAsync("/decode", [encrypted, plain], Token, ns: "events-prod");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([Secret(), plain], await CodecServerInstance.ReadPayloadsAsync(response));
        Assert.Contains(server.Logs.Lines, l => l.Contains("decode of 2 payloads for namespace 'events-prod' by token:support-cli", StringComparison.Ordinal));
        AssertNoSecretIn(server.Logs.All);
    }

    [Fact]
    public async Task Encode_encrypts_with_the_current_key_and_decode_reverses_it()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());

        using var encodeResponse = await server.PostAsync("/encode", [Secret()], Token);
        var encoded = Assert.Single(await CodecServerInstance.ReadPayloadsAsync(encodeResponse));
        using var decodeResponse = await server.PostAsync("/decode", [encoded], Token);

        Assert.True(AesGcmPayloadCodec.IsEncrypted(encoded));
        Assert.Equal("k1", encoded.Metadata["encryption-key-id"].ToStringUtf8());
        Assert.Equal(Secret(), Assert.Single(await Codec.DecodeAsync([encoded])));
        Assert.Equal(Secret(), Assert.Single(await CodecServerInstance.ReadPayloadsAsync(decodeResponse)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-configured-token-0000")]
    [InlineData("support-cli-token-0123456789abcdeX")]
    public async Task Without_a_valid_token_the_answer_is_401_and_nothing_is_decoded(string? bearer)
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());

        using var response = await server.PostAsync("/decode", [await EncryptedSecretAsync()], bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Empty(body);
        AssertNoSecretIn(server.Logs.All);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("decode of", StringComparison.Ordinal));
        if (bearer is not null)
        {
            Assert.DoesNotContain(bearer, server.Logs.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_basic_authorization_header_is_not_a_bearer_token()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/decode") { Content = new StringContent("{\"payloads\":[]}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Token);

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_JWT_is_accepted_and_a_JWT_that_fails_any_check_gets_401()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());
        var encrypted = await EncryptedSecretAsync();

        string[] jwts = [Jwt(), Jwt(audience: "someone-else"), Jwt(expires: DateTime.UtcNow.AddMinutes(-5)), Jwt(signingKey: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))];
        using var valid = await server.PostAsync("/decode", [encrypted], jwts[0]);
        using var wrongAudience = await server.PostAsync("/decode", [encrypted], jwts[1]);
        using var expired = await server.PostAsync("/decode", [encrypted], jwts[2]);
        using var wrongKey = await server.PostAsync("/decode", [encrypted], jwts[3]);

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(Secret(), Assert.Single(await CodecServerInstance.ReadPayloadsAsync(valid)));
        Assert.Contains(server.Logs.Lines, l => l.Contains("decode of 1 payloads for namespace 'default' by support.agent@example.com", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Empty(await wrongKey.Content.ReadAsStringAsync());
        AssertNoSecretIn(server.Logs.All);
        Assert.All(jwts, jwt => Assert.DoesNotContain(jwt.Split('.')[2], server.Logs.All, StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains("Failed to validate the token", StringComparison.Ordinal));
    }

    // The UI's browser sends a preflight for POST with authorization, content-type and x-namespace,
    // and with "include cross-origin credentials" the real request carries credentials, which a
    // browser only accepts with the exact origin echoed and Access-Control-Allow-Credentials: true
    // (temporalio/samples-go codec-server/codec-server/main.go answers Authorization,Content-Type,
    // X-Namespace with credentials; Temporal's codec-server documentation, section "Authentication").
    [Fact]
    public async Task A_CORS_preflight_from_the_UI_origin_is_allowed_with_credentials_and_another_origin_is_not()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());

        using var allowed = await server.Http.SendAsync(Preflight(UiOrigin));
        using var foreign = await server.Http.SendAsync(Preflight("https://evil.example.net"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal([UiOrigin], allowed.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], allowed.Headers.GetValues("Access-Control-Allow-Credentials"));
        var headers = string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Headers")).ToUpperInvariant();
        Assert.Contains("AUTHORIZATION", headers, StringComparison.Ordinal);
        Assert.Contains("X-NAMESPACE", headers, StringComparison.Ordinal);
        Assert.Contains("CONTENT-TYPE", headers, StringComparison.Ordinal);
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));

        // The real request from the UI carries the origin back so the browser lets the page read the answer.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/decode")
        {
            Content = new StringContent(JsonFormatter.Default.Format(new Payloads { Payloads_ = { await EncryptedSecretAsync() } }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", UiOrigin);
        request.Headers.Add("X-Namespace", "default");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Jwt());
        using var answer = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal([UiOrigin], answer.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/decode");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-namespace");
        return request;
    }

    [Fact]
    public async Task Endpoints_mounted_under_a_namespace_prefix_answer_as_the_CLI_templating_expects()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());

        using var response = await server.PostAsync("/events-prod/decode", [await EncryptedSecretAsync()], Token);
        using var unknown = await server.PostAsync("/events-prod/explode", [await EncryptedSecretAsync()], Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Secret(), Assert.Single(await CodecServerInstance.ReadPayloadsAsync(response)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_tampered_payload_gets_400_naming_the_key_and_the_reason_and_bad_JSON_is_not_echoed()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());
        var encrypted = await EncryptedSecretAsync();
        var bytes = encrypted.Data.ToByteArray();
        bytes[30] ^= 0x80;
        var tampered = new Payload(encrypted) { Data = ByteString.CopyFrom(bytes) };

        using var tamperedResponse = await server.PostAsync("/decode", [tampered], Token);
        using var badJson = new HttpRequestMessage(HttpMethod.Post, "/decode") { Content = new StringContent($"{{\"payloads\": [{{\"data\": \"{Email}\"", System.Text.Encoding.UTF8, "application/json") };
        badJson.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        badJson.Headers.Add("X-Namespace", "default");
        using var badJsonResponse = await server.Http.SendAsync(badJson);

        Assert.Equal(HttpStatusCode.BadRequest, tamperedResponse.StatusCode);
        Assert.Contains("encrypted with key 'k1': authentication failed", await tamperedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badJsonResponse.StatusCode);
        var badJsonBody = await badJsonResponse.Content.ReadAsStringAsync();
        Assert.Contains("not temporal.api.common.v1.Payloads", badJsonBody, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, badJsonBody, StringComparison.Ordinal);
        AssertNoSecretIn(server.Logs.All);
    }

    [Fact]
    public async Task The_health_check_needs_no_token()
    {
        await using var server = await CodecServerInstance.StartAsync(Settings());

        using var response = await server.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_server_nobody_could_be_authorised_against_does_not_start()
    {
        var error = Assert.Throws<InvalidSettingException>(() => CodecServerApp.Create([], b =>
            b.Configuration.AddInMemoryCollection([new("Encryption:CurrentKeyId", "k1"), new("Encryption:Keys:k1", key)])));

        Assert.Equal("CodecServer:Tokens", error.Setting);
        Assert.Contains("nobody could be authorised to decode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CodecServer:Tokens:cli", "short", "CodecServer:Tokens:cli", "too weak")]
    [InlineData("CodecServer:AllowedOrigins:0", "*", "CodecServer:AllowedOrigins:0", "no wildcard")]
    [InlineData("CodecServer:AllowedOrigins:0", "https://ui.example.com/path", "CodecServer:AllowedOrigins:0", "must be an origin")]
    [InlineData("CodecServer:Jwt:SigningKey", "c2hvcnQ=", "CodecServer:Jwt:SigningKey", "decodes to 5 bytes")]
    [InlineData("CodecServer:Jwt:Issuer", "", "CodecServer:Jwt:Issuer", "is required")]
    [InlineData("CodecServer:Access:Namespaces:0", "", "CodecServer:Access:Namespaces:0", "is empty")]
    [InlineData("CodecServer:Tokens:ops-2026.12", "one.two.three-and-more", "CodecServer:Tokens:ops-2026.12", "looks like a JWT")]
    public void A_wrong_codec_server_setting_is_named(string setting, string value, string named, string problem)
    {
        List<(string Key, string? Value)> settings = [.. Settings().Where(s => s.Key != setting), (setting, value)];

        var error = Assert.Throws<InvalidSettingException>(() => CodecServerApp.Create([], b =>
            b.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))));

        Assert.Equal(named, error.Setting);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_codec_server_needs_encryption_keys()
    {
        var error = Assert.Throws<InvalidSettingException>(() => CodecServerApp.Create([], b =>
            b.Configuration.AddInMemoryCollection([new("Encryption:Enabled", "false"), new("CodecServer:Tokens:cli", Token)])));

        Assert.Equal("Encryption:Enabled", error.Setting);
    }

    private static void AssertNoSecretIn(string text)
    {
        Assert.DoesNotContain(Email, text, StringComparison.Ordinal);
        Assert.DoesNotContain("q8Zr1vT0xLm4", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }
}
