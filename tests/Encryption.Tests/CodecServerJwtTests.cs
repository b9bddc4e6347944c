using EventProcessor.Hosting;
using System.Net;
using EventProcessor.CodecServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace EventProcessor.Encryption.Tests;

/// <summary>
/// The codec server as Temporal Web UI calls it with "Pass the user access token" on: the UI puts
/// the signed-in user's access token in <c>Authorization: Bearer</c> and the namespace in
/// <c>X-Namespace</c> (Temporal's codec-server documentation, docs.temporal.io
/// /production-deployment/data-encryption, sections "Authentication" and "Namespace-level
/// authorization"; temporalio/samples-go codec-server/README.md: "The current CLI and Temporal Web
/// UI codec client code will set X-Namespace"). Temporal Cloud's tokens are RS256, verified against
/// https://login.tmprl.cloud/.well-known/jwks.json, with audiences https://saas-api.tmprl.cloud and
/// the Auth0 userinfo URL and the email in claim https://saas-api.tmprl.cloud/user/email
/// (temporalio/samples-python encryption_jwt/codec_server.py). A self-hosted UI with SSO forwards
/// its OIDC provider's access token, whose keys the provider's discovery document names. Here
/// both providers are <see cref="IdentityProviderStub"/> on loopback with keys made in the test.
/// </summary>
public sealed class CodecServerJwtTests : IDisposable
{
    private const string Namespace = "event-processor.abcde";
    private const string AllowedUser = "lena.fischer@example.com";
    private const string OtherUser = "mallory@elsewhere.example.net";
    private const string OidcAudience = "api://eventprocessor-codec";
    private const string TemporalCloudIssuer = "https://login.tmprl.cloud/";
    private const string PersonalData = "sam.okafor@acme-retail.com";

    private readonly string encryptionKey = TestKeys.NewBase64();
    private readonly TestSigningKey rsa = TestSigningKey.Rsa("tc-2026-11");
    private readonly IdentityProviderStub provider;

    public CodecServerJwtTests() => provider = new IdentityProviderStub(rsa);

    public void Dispose() => provider.Dispose();

    private (string Key, string? Value)[] Common(params (string Key, string? Value)[] extra) =>
    [
        ("Encryption:CurrentKeyId", "k1"),
        ("Encryption:Keys:k1", encryptionKey),
        ("CodecServer:AllowedOrigins:0", "https://cloud.temporal.io"),
        ("CodecServer:Access:Namespaces:0", Namespace),
        ("CodecServer:Access:AllowedEmails:0", AllowedUser),
        .. extra,
    ];

    /// <summary>Temporal Cloud's preset with its JWKS moved to the loopback provider.</summary>
    private (string Key, string? Value)[] TemporalCloud(params (string Key, string? Value)[] extra) =>
        Common([("CodecServer:Jwt:Preset", "TemporalCloud"), ("CodecServer:Jwt:JwksUrl", provider.JwksUrl), .. extra]);

    /// <summary>A self-hosted UI's OIDC provider, found through its discovery document.</summary>
    private (string Key, string? Value)[] Oidc(params (string Key, string? Value)[] extra) =>
        Common([
            ("CodecServer:Jwt:Authority", provider.Authority),
            ("CodecServer:Jwt:Audience", OidcAudience),
            ("CodecServer:Access:AllowedEmailDomains:0", "support.example.com"),
            ("CodecServer:Access:RoleClaim", "groups"),
            ("CodecServer:Access:AllowedRoles:0", "codec-readers"),
            .. extra,
        ]);

    /// <summary>Claims shaped like a Temporal Cloud UI access token.</summary>
    private static Dictionary<string, object> TemporalCloudClaims(string email) => new()
    {
        ["sub"] = "google-oauth2|104729384756102938475",
        ["aud"] = new[] { "https://saas-api.tmprl.cloud", "https://prod-tmprl.us.auth0.com/userinfo" },
        ["azp"] = "d8Kq1mZ0xV7cT3nR5yL2wP9bH4jF6gS1",
        ["scope"] = "openid profile email",
        [CodecJwtSettings.TemporalCloudEmailClaim] = email,
    };

    /// <summary>Claims shaped like an OIDC provider's access token (Okta, Entra ID, Auth0, Keycloak all carry these).</summary>
    private static Dictionary<string, object> OidcClaims(string? email, string audience = OidcAudience, params string[] groups)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "00u8f2k3l4m5n6o7p8q9",
            ["aud"] = audience,
            ["scp"] = new[] { "openid", "email", "profile" },
            ["groups"] = groups,
        };
        if (email is not null)
        {
            claims["email"] = email;
            claims["email_verified"] = true;
        }

        return claims;
    }

    private AesGcmPayloadCodec Codec => new(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = encryptionKey }));

    private static Payload Secret() => DataConverter.Default.PayloadConverter.ToPayload(new { email = PersonalData });

    private async Task<Payload> EncryptedAsync() => Assert.Single(await Codec.EncodeAsync([Secret()]));

    private async Task<HttpResponseMessage> DecodeAsync(CodecServerInstance server, string token, string ns = Namespace) =>
        await server.PostAsync("/decode", [await EncryptedAsync()], token, ns);

    private static void AssertNothingSecretLogged(CodecServerInstance server, params string[] tokens)
    {
        Assert.DoesNotContain(PersonalData, server.Logs.All, StringComparison.Ordinal);
        foreach (var token in tokens)
        {
            // The signature is what makes a token usable; the header and claims are not secret on their own.
            Assert.DoesNotContain(token.Split('.')[2] is { Length: > 0 } signature ? signature : token, server.Logs.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_Temporal_Cloud_token_of_an_allowed_user_decodes_and_the_request_is_audited()
    {
        await using var server = await CodecServerInstance.StartAsync(TemporalCloud());
        var token = rsa.Sign(TemporalCloudIssuer, TemporalCloudClaims(AllowedUser));

        using var response = await DecodeAsync(server, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Secret(), Assert.Single(await CodecServerInstance.ReadPayloadsAsync(response)));
        Assert.Contains(server.Logs.Lines, l => l.Contains($"decode of 1 payloads for namespace '{Namespace}' by {AllowedUser}", StringComparison.Ordinal));
        AssertNothingSecretLogged(server, token);
    }

    [Fact]
    public async Task A_Temporal_Cloud_token_of_a_user_not_allowed_gets_403_and_the_log_says_who_and_why()
    {
        await using var server = await CodecServerInstance.StartAsync(TemporalCloud());
        var token = rsa.Sign(TemporalCloudIssuer, TemporalCloudClaims(OtherUser));

        using var response = await DecodeAsync(server, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(PersonalData, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(server.Logs.Lines, l => l.Contains($"decode forbidden for namespace '{Namespace}' to {OtherUser}: the email is not in CodecServer:Access:AllowedEmails", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("payloads for namespace", StringComparison.Ordinal));
        AssertNothingSecretLogged(server, token);
    }

    [Fact]
    public async Task Refusals_carry_the_CORS_headers_so_the_UI_can_tell_the_user_why()
    {
        await using var server = await CodecServerInstance.StartAsync(TemporalCloud());

        async Task<HttpResponseMessage> FromTheUiAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/decode")
            {
                Content = new StringContent(Google.Protobuf.JsonFormatter.Default.Format(new Payloads { Payloads_ = { await EncryptedAsync() } }), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Origin", "https://cloud.temporal.io");
            request.Headers.Add("X-Namespace", Namespace);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return await server.Http.SendAsync(request);
        }

        using var forbidden = await FromTheUiAsync(rsa.Sign(TemporalCloudIssuer, TemporalCloudClaims(OtherUser)));
        using var expired = await FromTheUiAsync(rsa.Sign(TemporalCloudIssuer, TemporalCloudClaims(AllowedUser), expires: DateTime.UtcNow.AddMinutes(-2)));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(["https://cloud.temporal.io"], forbidden.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(["https://cloud.temporal.io"], expired.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_forged_or_expired_Temporal_Cloud_token_gets_401()
    {
        await using var server = await CodecServerInstance.StartAsync(TemporalCloud());
        var forged = rsa.Impostor().Sign(TemporalCloudIssuer, TemporalCloudClaims(AllowedUser));
        var expired = rsa.Sign(TemporalCloudIssuer, TemporalCloudClaims(AllowedUser), expires: DateTime.UtcNow.AddMinutes(-2));
        var otherAudience = rsa.Sign(TemporalCloudIssuer, new Dictionary<string, object>(TemporalCloudClaims(AllowedUser)) { ["aud"] = "https://another-api.example.com" });

        using var forgedResponse = await DecodeAsync(server, forged);
        using var expiredResponse = await DecodeAsync(server, expired);
        using var otherAudienceResponse = await DecodeAsync(server, otherAudience);

        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudienceResponse.StatusCode);
        Assert.Empty(await forgedResponse.Content.ReadAsStringAsync());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("payloads for namespace", StringComparison.Ordinal));
        AssertNothingSecretLogged(server, forged, expired, otherAudience);
    }

    [Fact]
    public async Task An_OIDC_token_decodes_for_an_allowed_email_domain_or_role_and_gets_403_otherwise()
    {
        await using var server = await CodecServerInstance.StartAsync(Oidc());
        var byEmail = rsa.Sign(provider.Issuer, OidcClaims(AllowedUser));
        var byDomain = rsa.Sign(provider.Issuer, OidcClaims("noah.berg@support.example.com"));
        var byRole = rsa.Sign(provider.Issuer, OidcClaims("ops.person@example.org", OidcAudience, "engineering", "codec-readers"));
        var notAllowed = rsa.Sign(provider.Issuer, OidcClaims(OtherUser, OidcAudience, "engineering"));
        var unverifiedEmail = rsa.Sign(provider.Issuer, new Dictionary<string, object>(OidcClaims(AllowedUser)) { ["email_verified"] = false });
        var lookalikeDomain = rsa.Sign(provider.Issuer, OidcClaims("eve@evilsupport.example.com"));

        using var emailResponse = await DecodeAsync(server, byEmail);
        using var domainResponse = await DecodeAsync(server, byDomain);
        using var roleResponse = await DecodeAsync(server, byRole);
        using var notAllowedResponse = await DecodeAsync(server, notAllowed);
        using var unverifiedResponse = await DecodeAsync(server, unverifiedEmail);
        using var lookalikeResponse = await DecodeAsync(server, lookalikeDomain);

        Assert.Equal(HttpStatusCode.OK, emailResponse.StatusCode);
        Assert.Equal(Secret(), Assert.Single(await CodecServerInstance.ReadPayloadsAsync(emailResponse)));
        Assert.Equal(HttpStatusCode.OK, domainResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, roleResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAllowedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unverifiedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, lookalikeResponse.StatusCode);
        Assert.Contains(server.Logs.Lines, l => l.Contains($"by noah.berg@support.example.com", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains($"by ops.person@example.org", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains(
            $"forbidden for namespace '{Namespace}' to {OtherUser}: the email is not in CodecServer:Access:AllowedEmails and its domain not in CodecServer:Access:AllowedEmailDomains; none of its roles (engineering) in claim 'groups' is in CodecServer:Access:AllowedRoles",
            StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains("to sub:00u8f2k3l4m5n6o7p8q9: the token carries no verified email", StringComparison.Ordinal));
        AssertNothingSecretLogged(server, byEmail, byDomain, byRole, notAllowed, unverifiedEmail, lookalikeDomain);
    }

    [Fact]
    public async Task A_forged_expired_or_misaddressed_OIDC_token_gets_401()
    {
        await using var server = await CodecServerInstance.StartAsync(Oidc());
        var tokens = new Dictionary<string, string>
        {
            ["forged"] = rsa.Impostor().Sign(provider.Issuer, OidcClaims(AllowedUser)),
            ["expired"] = rsa.Sign(provider.Issuer, OidcClaims(AllowedUser), expires: DateTime.UtcNow.AddMinutes(-2)),
            ["wrong issuer"] = rsa.Sign("https://login.other-tenant.example.com/", OidcClaims(AllowedUser)),
            ["wrong audience"] = rsa.Sign(provider.Issuer, OidcClaims(AllowedUser, audience: "api://some-other-app")),
            ["unknown key"] = TestSigningKey.Rsa("never-published").Sign(provider.Issuer, OidcClaims(AllowedUser)),
            ["alg none"] = TestSigningKey.Unsigned(provider.Issuer, OidcClaims(AllowedUser), rsa.KeyId),
        };

        var statuses = new Dictionary<string, HttpStatusCode>();
        foreach (var (name, token) in tokens)
        {
            using var response = await DecodeAsync(server, token);
            statuses[name] = response.StatusCode;
        }

        Assert.All(statuses, s => Assert.True(s.Value == HttpStatusCode.Unauthorized, $"{s.Key}: {s.Value}"));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("payloads for namespace", StringComparison.Ordinal));
        AssertNothingSecretLogged(server, [.. tokens.Values.Where(t => !t.EndsWith('.'))]);
    }

    [Fact]
    public async Task An_ES256_key_of_the_JWKS_is_accepted()
    {
        var ec = TestSigningKey.EcP256("ec-2026-11");
        provider.Publish(rsa, ec);
        await using var server = await CodecServerInstance.StartAsync(Oidc());

        using var response = await DecodeAsync(server, ec.Sign(provider.Issuer, OidcClaims(AllowedUser)));
        using var forged = await DecodeAsync(server, ec.Impostor().Sign(provider.Issuer, OidcClaims(AllowedUser)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task A_namespace_not_served_or_missing_gets_403_for_a_user_and_for_a_static_token()
    {
        const string cliToken = "support-cli-token-0123456789abcdef";
        await using var server = await CodecServerInstance.StartAsync(TemporalCloud(("CodecServer:Tokens:support-cli", cliToken)));
        var token = rsa.Sign(TemporalCloudIssuer, TemporalCloudClaims(AllowedUser));

        using var otherNamespace = await DecodeAsync(server, token, ns: "payments.abcde");
        using var noNamespace = await DecodeAsync(server, token, ns: string.Empty);
        using var cliOtherNamespace = await DecodeAsync(server, cliToken, ns: "payments.abcde");
        using var cliServed = await DecodeAsync(server, cliToken);

        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noNamespace.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cliOtherNamespace.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cliServed.StatusCode);
        Assert.Contains(server.Logs.Lines, l => l.Contains($"forbidden for namespace 'payments.abcde' to {AllowedUser}: namespace 'payments.abcde' is not one of CodecServer:Access:Namespaces", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains($"forbidden for namespace '' to {AllowedUser}: the request has no X-Namespace header", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains("forbidden for namespace 'payments.abcde' to token:support-cli", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains($"decode of 1 payloads for namespace '{Namespace}' by token:support-cli", StringComparison.Ordinal));
        AssertNothingSecretLogged(server, token);
        Assert.DoesNotContain(cliToken, server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_published_after_start_is_fetched_when_a_token_names_it_and_the_token_is_accepted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await CodecServerInstance.StartAsync(Oidc(), clock);
        using var before = await DecodeAsync(server, rsa.Sign(provider.Issuer, OidcClaims(AllowedUser)));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(1, provider.JwksFetches);

        // The provider rotates: it publishes a new key next to the old one, then signs with it.
        var rotated = TestSigningKey.Rsa("tc-2026-12");
        provider.Publish(rsa, rotated);
        clock.Advance(CodecJwtSettings.KeyRefreshMinimumInterval);
        using var after = await DecodeAsync(server, rotated.Sign(provider.Issuer, OidcClaims(AllowedUser)));
        using var old = await DecodeAsync(server, rsa.Sign(provider.Issuer, OidcClaims(AllowedUser)));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(2, provider.JwksFetches);
        Assert.Contains(server.Logs.Lines, l => l.Contains("A token names key 'tc-2026-12', which the cached signing keys lack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_naming_unknown_keys_make_at_most_one_fetch_per_minimum_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await CodecServerInstance.StartAsync(Oidc(), clock);
        using var first = await DecodeAsync(server, rsa.Sign(provider.Issuer, OidcClaims(AllowedUser)));
        Assert.Equal(1, provider.JwksFetches);

        clock.Advance(CodecJwtSettings.KeyRefreshMinimumInterval);
        var unpublished = TestSigningKey.Rsa("made-up");
        for (var i = 0; i < 5; i++)
        {
            using var response = await DecodeAsync(server, unpublished.Renamed($"made-up-{i}").Sign(provider.Issuer, OidcClaims(AllowedUser)));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(2, provider.JwksFetches);
        clock.Advance(CodecJwtSettings.KeyRefreshMinimumInterval);
        using var later = await DecodeAsync(server, unpublished.Renamed("made-up-later").Sign(provider.Issuer, OidcClaims(AllowedUser)));
        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
        Assert.Equal(3, provider.JwksFetches);
    }

    [Fact]
    public async Task When_the_provider_cannot_be_reached_and_no_keys_are_cached_the_answer_is_503_not_401()
    {
        provider.Fail();
        await using var server = await CodecServerInstance.StartAsync(Oidc());

        using var response = await DecodeAsync(server, rsa.Sign(provider.Issuer, OidcClaims(AllowedUser)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("cannot fetch its identity provider's signing keys", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(server.Logs.Lines, l => l.Contains("could not be fetched", StringComparison.Ordinal) && l.Contains("500", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Temporal_Cloud_preset_fills_in_Temporal_Clouds_JWKS_audience_and_email_claim()
    {
        var settings = CodecServerOptions.Read(TestKeys.Configuration(
            ("CodecServer:Jwt:Preset", "TemporalCloud"),
            ("CodecServer:Access:Namespaces:0", Namespace),
            ("CodecServer:Access:AllowedEmailDomains:0", "example.com")));

        var jwt = Assert.IsType<CodecJwtSettings>(settings.Jwt);
        Assert.Equal(new Uri("https://login.tmprl.cloud/.well-known/jwks.json"), jwt.JwksUrl);
        Assert.Equal("https://saas-api.tmprl.cloud", jwt.Audience);
        Assert.Equal("https://saas-api.tmprl.cloud/user/email", jwt.EmailClaims[0]);
        Assert.Equal(["RS256", "ES256"], jwt.Algorithms);
        Assert.Null(jwt.SigningKey);
    }

    [Theory]
    [InlineData("CodecServer:Jwt:Preset", "AzureAD", "CodecServer:Jwt:Preset", "the only preset is TemporalCloud")]
    [InlineData("CodecServer:Jwt:JwksUrl", "http://idp.example.com/jwks.json", "CodecServer:Jwt:JwksUrl", "must use https")]
    [InlineData("CodecServer:Jwt:Authority", "https://idp.example.com", "CodecServer:Jwt:Authority", "cannot be combined with CodecServer:Jwt:JwksUrl")]
    [InlineData("CodecServer:Access:AllowedEmails:0", null, "CodecServer:Access:AllowedEmails", "no user could be allowed to decode")]
    [InlineData("CodecServer:Access:AllowedEmails:0", "lena.fischer", "CodecServer:Access:AllowedEmails:0", "is not an email address")]
    [InlineData("CodecServer:Access:AllowedEmailDomains:0", "@example.com", "CodecServer:Access:AllowedEmailDomains:0", "must be a domain")]
    [InlineData("CodecServer:Access:AllowedRoles:0", "codec-readers", "CodecServer:Access:RoleClaim", "is required with CodecServer:Access:AllowedRoles")]
    [InlineData("CodecServer:Access:Namespaces:0", null, "CodecServer:Access:Namespaces", "is empty: list the Temporal namespaces")]
    public void A_wrong_JWT_or_access_setting_stops_the_start_naming_the_setting_and_its_environment_variable(string setting, string? value, string named, string problem)
    {
        (string Key, string? Value)[] baseline =
        [
            ("Encryption:CurrentKeyId", "k1"),
            ("Encryption:Keys:k1", encryptionKey),
            ("CodecServer:Jwt:JwksUrl", "https://idp.example.com/.well-known/jwks.json"),
            ("CodecServer:Access:Namespaces:0", Namespace),
            ("CodecServer:Access:AllowedEmails:0", AllowedUser),
        ];
        List<(string Key, string? Value)> settings = [.. baseline.Where(s => s.Key != setting)];
        if (value is not null)
        {
            settings.Add((setting, value));
        }

        var error = Assert.Throws<InvalidSettingException>(() => CodecServerApp.Create([], b =>
            b.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))));

        Assert.Equal(named, error.Setting);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains($"(environment variable {named.Replace(":", "__", StringComparison.Ordinal)})", error.Message, StringComparison.Ordinal);
    }
}
