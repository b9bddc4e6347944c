using System.Security.Cryptography;
using System.Text;

namespace EventProcessor.CodecServer;

/// <summary>
/// Section <c>CodecServer</c>: the browser origins allowed to call (Temporal Web UI), the static
/// bearer tokens (by name, for the CLI and scripts), the JWT check (for the UI passing the
/// signed-in user's access token) and who may decode which namespace. Only SHA-256 hashes of the
/// tokens are kept.
/// </summary>
public sealed record CodecServerSettings(
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<CodecToken> Tokens,
    CodecJwtSettings? Jwt,
    CodecAccessSettings Access)
{
    public const string SectionName = "CodecServer";

    /// <summary>The name of the configured token equal to <paramref name="token"/>, compared in constant time, or null.</summary>
    public string? MatchToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = CodecToken.Hash(token);
        string? match = null;

        // Every token is compared, so the time taken does not tell which one (or whether any) matched.
        foreach (var candidate in Tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, candidate.Sha256))
            {
                match ??= candidate.Name;
            }
        }

        return match;
    }
}

/// <summary>A static bearer token: its configuration name (logged as the caller) and the SHA-256 of its value.</summary>
public sealed record CodecToken(string Name, byte[] Sha256)
{
    public static CodecToken Of(string name, string token) => new(name, Hash(token));

    internal static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public override string ToString() => $"CodecToken {{ Name = {Name} }}";
}

/// <summary>
/// How JWTs are checked. Exactly one source of keys: a shared HS256 <see cref="SigningKey"/>, a
/// <see cref="JwksUrl"/> (RS256/ES256 keys), or an OIDC <see cref="Authority"/> whose discovery
/// document names the JWKS and the issuer. <see cref="Issuer"/> and <see cref="Audience"/> are
/// checked when set (the issuer of an authority is always checked).
/// </summary>
public sealed record CodecJwtSettings
{
    /// <summary>Value of <c>CodecServer:Jwt:Preset</c> for Temporal Cloud's UI.</summary>
    public const string TemporalCloudPreset = "TemporalCloud";

    /// <summary>Where Temporal Cloud publishes the keys that sign the access tokens its UI passes on.</summary>
    public const string TemporalCloudJwksUrl = "https://login.tmprl.cloud/.well-known/jwks.json";

    /// <summary>The audience Temporal Cloud's access tokens carry (Temporal's codec-server documentation, "Authentication").</summary>
    public const string TemporalCloudAudience = "https://saas-api.tmprl.cloud";

    /// <summary>The claim of a Temporal Cloud access token holding the signed-in user's email.</summary>
    public const string TemporalCloudEmailClaim = "https://saas-api.tmprl.cloud/user/email";

    /// <summary>At most one fetch of the signing keys per this interval, however many tokens name unknown keys.</summary>
    public static readonly TimeSpan KeyRefreshMinimumInterval = TimeSpan.FromSeconds(30);

    /// <summary>Cached signing keys are fetched again after this long even when no token asks for it.</summary>
    public static readonly TimeSpan KeyMaximumAge = TimeSpan.FromHours(12);

    /// <summary>The standard OIDC email claim.</summary>
    public const string StandardEmailClaim = "email";

    public byte[]? SigningKey { get; init; }

    public Uri? JwksUrl { get; init; }

    public Uri? Authority { get; init; }

    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    public string? Preset { get; init; }

    /// <summary>The claims an email is read from, in order.</summary>
    public IReadOnlyList<string> EmailClaims =>
        Preset == TemporalCloudPreset ? [TemporalCloudEmailClaim, StandardEmailClaim] : [StandardEmailClaim, TemporalCloudEmailClaim];

    /// <summary>The algorithms a token may be signed with: only those the key source can produce, never <c>none</c>.</summary>
    public IReadOnlyList<string> Algorithms => SigningKey is null
        ? [Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256]
        : [Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256];

    /// <summary>The discovery document of <see cref="Authority"/>, or null.</summary>
    public Uri? MetadataAddress => Authority is null ? null : new Uri(Authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");

    /// <summary>One line for the start-up log.</summary>
    public string Describe()
    {
        var keys = SigningKey is not null ? "HS256 with CodecServer:Jwt:SigningKey"
            : Authority is not null ? $"{string.Join('/', Algorithms)} keys of authority {Authority}"
            : $"{string.Join('/', Algorithms)} keys of {JwksUrl}";
        return $"JWTs: {keys}{(Preset is null ? string.Empty : $" (preset {Preset})")}, issuer {Issuer ?? (Authority is null ? "not checked" : "from discovery")}, audience {Audience ?? "not checked"}";
    }

    public override string ToString() => $"CodecJwtSettings {{ {Describe()} }}";
}

/// <summary>
/// Who may decode: the namespaces served (<c>X-Namespace</c> must be one), and for JWT callers
/// the allowed emails, email domains or roles (values of <see cref="RoleClaim"/>). A static token
/// is an authorisation of its own and needs no rule here.
/// </summary>
public sealed record CodecAccessSettings(
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<string> AllowedEmails,
    IReadOnlyList<string> AllowedEmailDomains,
    string? RoleClaim,
    IReadOnlyList<string> AllowedRoles)
{
    public bool AllowsAnyUser => AllowedEmails.Count > 0 || AllowedEmailDomains.Count > 0 || (RoleClaim is not null && AllowedRoles.Count > 0);
}
