using System.Security.Cryptography;
using System.Text;

namespace EventProcessor.CodecServer;

/// <summary>
/// Section <c>CodecServer</c>: the browser origins allowed to call (Temporal Web UI), the static
/// bearer tokens (by name, for the CLI and scripts) and the JWT check (for the UI passing the
/// user's access token). Only SHA-256 hashes of the tokens are kept.
/// </summary>
public sealed record CodecServerSettings(IReadOnlyList<string> AllowedOrigins, IReadOnlyList<CodecToken> Tokens, CodecJwtSettings? Jwt)
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

/// <summary>HS256 JWTs: the shared signing key, and the issuer and audience a token must carry.</summary>
public sealed record CodecJwtSettings(byte[] SigningKey, string Issuer, string Audience)
{
    public override string ToString() => $"CodecJwtSettings {{ Issuer = {Issuer}, Audience = {Audience} }}";
}
