using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Encryption.Tests;

/// <summary>
/// An identity provider on loopback, as the codec server meets it: a JWKS (public keys only, one
/// per <c>kid</c>, <c>use: sig</c>) at <see cref="JwksUrl"/> and an OIDC discovery document at
/// <c>{Authority}/.well-known/openid-configuration</c> naming its issuer and <c>jwks_uri</c>
/// (OpenID Connect Discovery 1.0, section 3). Keys are made in the test; publishing a new set
/// replaces the old one, which is how a provider rotates.
/// </summary>
internal sealed class IdentityProviderStub : IDisposable
{
    private const string JwksPath = "/.well-known/jwks.json";
    private const string DiscoveryPath = "/.well-known/openid-configuration";
    private readonly WireMockServer server = WireMockServer.Start();

    public IdentityProviderStub(params TestSigningKey[] keys) => Publish(keys);

    /// <summary>The provider's base address; also the issuer its discovery document names.</summary>
    public string Authority => server.Url!;

    public string Issuer => Authority + "/";

    public string JwksUrl => Authority + JwksPath;

    /// <summary>How many times the JWKS was fetched.</summary>
    public int JwksFetches => server.LogEntries.Count(e => e.RequestMessage.Path == JwksPath);

    public void Publish(params TestSigningKey[] keys)
    {
        server.ResetMappings();
        var jwks = JsonSerializer.Serialize(new { keys = keys.Select(k => k.PublicJwk()).ToArray() });
        server.Given(Request.Create().WithPath(JwksPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwks));
        var discovery = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = JwksUrl,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/oauth/token",
            ["id_token_signing_alg_values_supported"] = keys.Select(k => k.Algorithm).Distinct().ToArray(),
        });
        server.Given(Request.Create().WithPath(DiscoveryPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(discovery));
    }

    /// <summary>The provider is down: every document answers 500.</summary>
    public void Fail()
    {
        server.ResetMappings();
        server.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(500).WithBody("upstream error"));
    }

    public void Dispose() => server.Stop();
}

/// <summary>A signing key made for one test: RS256 (RSA 2048) or ES256 (P-256), with its key id.</summary>
internal sealed class TestSigningKey
{
    private readonly AsymmetricAlgorithm algorithm;

    private TestSigningKey(string keyId, string alg, AsymmetricAlgorithm algorithm, SecurityKey key)
    {
        KeyId = keyId;
        Algorithm = alg;
        this.algorithm = algorithm;
        Key = key;
        Key.KeyId = keyId;
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    public SecurityKey Key { get; }

    public static TestSigningKey Rsa(string keyId)
    {
        var rsa = RSA.Create(2048);
        return new TestSigningKey(keyId, SecurityAlgorithms.RsaSha256, rsa, new RsaSecurityKey(rsa));
    }

    public static TestSigningKey EcP256(string keyId)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestSigningKey(keyId, SecurityAlgorithms.EcdsaSha256, ecdsa, new ECDsaSecurityKey(ecdsa));
    }

    /// <summary>A different key pretending to be this one: same kid and algorithm, other private key (a forgery).</summary>
    public TestSigningKey Impostor() => Algorithm == SecurityAlgorithms.RsaSha256 ? Rsa(KeyId) : EcP256(KeyId);

    /// <summary>The same key pair under another kid (cheaper than making a new RSA key for each made-up kid).</summary>
    public TestSigningKey Renamed(string keyId) => algorithm is RSA rsa
        ? new TestSigningKey(keyId, Algorithm, rsa, new RsaSecurityKey(rsa))
        : new TestSigningKey(keyId, Algorithm, algorithm, new ECDsaSecurityKey((ECDsa)algorithm));

    /// <summary>The JWK a provider publishes: public parameters only (RFC 7517, RFC 7518 section 6).</summary>
    public Dictionary<string, string> PublicJwk()
    {
        var jwk = new Dictionary<string, string> { ["kid"] = KeyId, ["use"] = "sig", ["alg"] = Algorithm };
        if (algorithm is RSA rsa)
        {
            var p = rsa.ExportParameters(includePrivateParameters: false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64UrlEncoder.Encode(p.Modulus);
            jwk["e"] = Base64UrlEncoder.Encode(p.Exponent);
        }
        else
        {
            var p = ((ECDsa)algorithm).ExportParameters(includePrivateParameters: false);
            jwk["kty"] = "EC";
            jwk["crv"] = "P-256";
            jwk["x"] = Base64UrlEncoder.Encode(p.Q.X);
            jwk["y"] = Base64UrlEncoder.Encode(p.Q.Y);
        }

        return jwk;
    }

    /// <summary>A token signed with this key, with the given claims (<c>aud</c> may be a list).</summary>
    public string Sign(string issuer, IReadOnlyDictionary<string, object> claims, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Claims = claims.ToDictionary(c => c.Key, c => c.Value),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(Key, Algorithm),
        });

    /// <summary>The same claims with <c>alg: none</c> and no signature (RFC 7519 section 6).</summary>
    public static string Unsigned(string issuer, IReadOnlyDictionary<string, object> claims, string keyId)
    {
        static string Part(object value) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = issuer,
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
            ["nbf"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
        };
        return $"{Part(new { alg = "none", typ = "JWT", kid = keyId })}.{Part(payload)}.";
    }

    public override string ToString() => $"{Algorithm} key {KeyId}";
}
