using System.Buffers.Text;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.CodecServer;

/// <summary>
/// Reads and checks section <c>CodecServer</c>: <c>AllowedOrigins</c> (list of origins such as
/// <c>https://temporal-ui.example.com</c>), <c>Tokens:{name}</c> (static bearer tokens) and
/// <c>Jwt:SigningKey</c> (base64, at least 32 bytes) with <c>Jwt:Issuer</c> and <c>Jwt:Audience</c>.
/// A server nobody could be authorised against refuses to start.
/// </summary>
public static class CodecServerSettingsReader
{
    public const int MinimumTokenLength = 16;
    public const int MinimumSigningKeyBytes = 32;
    private const string Section = CodecServerSettings.SectionName;

    public static CodecServerSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var origins = ReadOrigins(section.GetSection("AllowedOrigins"));
        var tokens = ReadTokens(section.GetSection("Tokens"));
        var jwt = ReadJwt(section.GetSection("Jwt"));
        if (tokens.Count == 0 && jwt is null)
        {
            throw new CodecServerConfigurationException($"{Section}:Tokens",
                $"is empty and {Section}:Jwt:SigningKey is not set: nobody could be authorised to decode. Set {Section}:Tokens:{{name}} (at least {MinimumTokenLength} characters) or {Section}:Jwt:SigningKey, :Issuer and :Audience.");
        }

        return new CodecServerSettings(origins, tokens, jwt);
    }

    private static List<string> ReadOrigins(IConfigurationSection section)
    {
        var origins = new List<string>();
        foreach (var entry in section.GetChildren())
        {
            var setting = $"{Section}:AllowedOrigins:{entry.Key}";
            var text = entry.Value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                throw new CodecServerConfigurationException(setting, "is empty: set an origin such as https://temporal-ui.example.com.");
            }

            // Credentials are allowed, so a wildcard would let any site read decoded payloads with a user's cookies.
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new CodecServerConfigurationException(setting, $"must be an origin (scheme://host[:port], no path, no wildcard), not '{text}'.");
            }

            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }

        return origins;
    }

    private static List<CodecToken> ReadTokens(IConfigurationSection section)
    {
        var tokens = new List<CodecToken>();
        foreach (var entry in section.GetChildren())
        {
            var setting = $"{Section}:Tokens:{entry.Key}";
            var token = entry.Value?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                throw new CodecServerConfigurationException(setting, "is empty: remove it, or set a random token (e.g. openssl rand -base64 32).");
            }

            if (token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace))
            {
                throw new CodecServerConfigurationException(setting, $"is too weak: use at least {MinimumTokenLength} characters without spaces (e.g. openssl rand -base64 32).");
            }

            // A JWT-shaped value is routed to the JWT check, so a static token must not look like one.
            if (token.Count(c => c == '.') == 2)
            {
                throw new CodecServerConfigurationException(setting, "looks like a JWT (three dot-separated parts): static tokens must not contain two dots.");
            }

            tokens.Add(CodecToken.Of(entry.Key, token));
        }

        return tokens;
    }

    private static CodecJwtSettings? ReadJwt(IConfigurationSection section)
    {
        var keyText = section["SigningKey"]?.Trim();
        var issuer = section["Issuer"]?.Trim();
        var audience = section["Audience"]?.Trim();
        if (string.IsNullOrEmpty(keyText))
        {
            if (!string.IsNullOrEmpty(issuer) || !string.IsNullOrEmpty(audience))
            {
                throw new CodecServerConfigurationException($"{Section}:Jwt:SigningKey", "is required when CodecServer:Jwt:Issuer or :Audience is set.");
            }

            return null;
        }

        if (!Base64.IsValid(keyText, out var length))
        {
            throw new CodecServerConfigurationException($"{Section}:Jwt:SigningKey", "is malformed: it must be base64.");
        }

        if (length < MinimumSigningKeyBytes)
        {
            throw new CodecServerConfigurationException($"{Section}:Jwt:SigningKey", $"decodes to {length} bytes; HS256 needs at least {MinimumSigningKeyBytes}.");
        }

        if (string.IsNullOrEmpty(issuer))
        {
            throw new CodecServerConfigurationException($"{Section}:Jwt:Issuer", "is required with CodecServer:Jwt:SigningKey: the issuer (iss) tokens must carry.");
        }

        if (string.IsNullOrEmpty(audience))
        {
            throw new CodecServerConfigurationException($"{Section}:Jwt:Audience", "is required with CodecServer:Jwt:SigningKey: the audience (aud) tokens must carry.");
        }

        return new CodecJwtSettings(Convert.FromBase64String(keyText), issuer, audience);
    }
}
