using EventProcessor.Hosting;
using System.Buffers.Text;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.CodecServer;

/// <summary>
/// Reads and checks section <c>CodecServer</c>: <c>AllowedOrigins</c> (list of origins such as
/// <c>https://temporal-ui.example.com</c>), <c>Tokens:{name}</c> (static bearer tokens), <c>Jwt</c>
/// (one of <c>JwksUrl</c>, <c>Authority</c>, <c>Preset=TemporalCloud</c> or the HS256
/// <c>SigningKey</c>, with <c>Issuer</c> and <c>Audience</c>) and <c>Access</c> (<c>Namespaces</c>,
/// <c>AllowedEmails</c>, <c>AllowedEmailDomains</c>, <c>RoleClaim</c> + <c>AllowedRoles</c>).
/// A server nobody could be authorised against refuses to start.
/// </summary>
public static class CodecServerSettingsReader
{
    public const int MinimumTokenLength = 16;
    public const int MinimumSigningKeyBytes = 32;
    private const string Section = CodecServerSettings.SectionName;
    private const string Jwt = $"{Section}:Jwt";
    private const string Access = $"{Section}:Access";

    public static CodecServerSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var origins = ReadOrigins(section.GetSection("AllowedOrigins"));
        var tokens = ReadTokens(section.GetSection("Tokens"));
        var jwt = ReadJwt(section.GetSection("Jwt"));
        if (tokens.Count == 0 && jwt is null)
        {
            throw new InvalidSettingException($"{Section}:Tokens",
                $"is empty and no JWT check is configured: nobody could be authorised to decode. Set {Section}:Tokens:{{name}} (at least {MinimumTokenLength} characters) for the CLI, or {Jwt}:Preset=TemporalCloud, {Jwt}:JwksUrl or {Jwt}:Authority for the UI.");
        }

        var access = ReadAccess(section.GetSection("Access"), jwt);
        return new CodecServerSettings(origins, tokens, jwt, access);
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
                throw new InvalidSettingException(setting, "is empty: set an origin such as https://temporal-ui.example.com.");
            }

            // Credentials are allowed, so a wildcard would let any site read decoded payloads with a user's cookies.
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new InvalidSettingException(setting, $"must be an origin (scheme://host[:port], no path, no wildcard), not '{text}'.");
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
                throw new InvalidSettingException(setting, "is empty: remove it, or set a random token (e.g. openssl rand -base64 32).");
            }

            if (token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace))
            {
                throw new InvalidSettingException(setting, $"is too weak: use at least {MinimumTokenLength} characters without spaces (e.g. openssl rand -base64 32).");
            }

            // A JWT-shaped value is routed to the JWT check, so a static token must not look like one.
            if (token.Count(c => c == '.') == 2)
            {
                throw new InvalidSettingException(setting, "looks like a JWT (three dot-separated parts): static tokens must not contain two dots.");
            }

            tokens.Add(CodecToken.Of(entry.Key, token));
        }

        return tokens;
    }

    private static CodecJwtSettings? ReadJwt(IConfigurationSection section)
    {
        var keyText = Text(section, "SigningKey");
        var jwksText = Text(section, "JwksUrl");
        var authorityText = Text(section, "Authority");
        var issuer = Text(section, "Issuer");
        var audience = Text(section, "Audience");
        var preset = Text(section, "Preset");

        if (preset is not null)
        {
            if (!string.Equals(preset, CodecJwtSettings.TemporalCloudPreset, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidSettingException($"{Jwt}:Preset", $"is '{preset}'; the only preset is {CodecJwtSettings.TemporalCloudPreset} (Temporal Cloud's UI passing the user's access token).");
            }

            if (keyText is not null || authorityText is not null)
            {
                throw new InvalidSettingException(keyText is not null ? $"{Jwt}:SigningKey" : $"{Jwt}:Authority",
                    $"cannot be combined with {Jwt}:Preset={CodecJwtSettings.TemporalCloudPreset}, whose tokens are checked against Temporal Cloud's JWKS.");
            }

            // The preset fills in what is not set; JwksUrl and Audience stay overridable (a mirror, a test).
            preset = CodecJwtSettings.TemporalCloudPreset;
            jwksText ??= CodecJwtSettings.TemporalCloudJwksUrl;
            audience ??= CodecJwtSettings.TemporalCloudAudience;
        }

        var sources = new[] { ("SigningKey", keyText), ("JwksUrl", jwksText), ("Authority", authorityText) }.Where(s => s.Item2 is not null).ToList();
        if (sources.Count == 0)
        {
            if (issuer is not null || audience is not null)
            {
                throw new InvalidSettingException(issuer is not null ? $"{Jwt}:Issuer" : $"{Jwt}:Audience",
                    $"is set but no keys are: set {Jwt}:JwksUrl, {Jwt}:Authority, {Jwt}:Preset or {Jwt}:SigningKey.");
            }

            return null;
        }

        if (sources.Count > 1)
        {
            throw new InvalidSettingException($"{Jwt}:{sources[1].Item1}",
                $"cannot be combined with {Jwt}:{sources[0].Item1}: set only one source of signing keys.");
        }

        if (keyText is not null)
        {
            return ReadSharedKey(keyText, issuer, audience);
        }

        return new CodecJwtSettings
        {
            JwksUrl = jwksText is null ? null : KeyEndpoint($"{Jwt}:JwksUrl", jwksText),
            Authority = authorityText is null ? null : KeyEndpoint($"{Jwt}:Authority", authorityText),
            Issuer = issuer,
            Audience = audience,
            Preset = preset,
        };
    }

    private static CodecJwtSettings ReadSharedKey(string keyText, string? issuer, string? audience)
    {
        if (!Base64.IsValid(keyText, out var length))
        {
            throw new InvalidSettingException($"{Jwt}:SigningKey", "is malformed: it must be base64.");
        }

        if (length < MinimumSigningKeyBytes)
        {
            throw new InvalidSettingException($"{Jwt}:SigningKey", $"decodes to {length} bytes; HS256 needs at least {MinimumSigningKeyBytes}.");
        }

        // Whoever holds a shared key can mint tokens for any issuer, so both claims are pinned.
        if (issuer is null)
        {
            throw new InvalidSettingException($"{Jwt}:Issuer", $"is required with {Jwt}:SigningKey: the issuer (iss) tokens must carry.");
        }

        if (audience is null)
        {
            throw new InvalidSettingException($"{Jwt}:Audience", $"is required with {Jwt}:SigningKey: the audience (aud) tokens must carry.");
        }

        return new CodecJwtSettings { SigningKey = Convert.FromBase64String(keyText), Issuer = issuer, Audience = audience };
    }

    /// <summary>An https URL; http only on loopback, for a provider run next to the codec server (and tests).</summary>
    internal static Uri KeyEndpoint(string setting, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidSettingException(setting, $"must be an absolute https URL, not '{text}'.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
        {
            throw new InvalidSettingException(setting, $"must use https (keys fetched over plain http could be swapped on the way), not '{text}'.");
        }

        return uri;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static CodecAccessSettings ReadAccess(IConfigurationSection section, CodecJwtSettings? jwt)
    {
        var namespaces = List(section, "Namespaces", (setting, value) =>
        {
            if (value.Any(char.IsWhiteSpace) || value.Length > 1000)
            {
                throw new InvalidSettingException(setting, $"is not a Temporal namespace name: '{value}'.");
            }

            return value;
        });
        if (namespaces.Count == 0)
        {
            throw new InvalidSettingException($"{Access}:Namespaces",
                $"is empty: list the Temporal namespaces whose payloads may be decoded ({Access}:Namespaces:0=event-processor.abcde); requests name theirs in X-Namespace.");
        }

        var emails = List(section, "AllowedEmails", (setting, value) =>
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || value.Any(char.IsWhiteSpace))
            {
                throw new InvalidSettingException(setting, $"is not an email address: '{value}'.");
            }

            return value;
        });
        var domains = List(section, "AllowedEmailDomains", (setting, value) =>
        {
            if (value.Contains('@', StringComparison.Ordinal) || value.Any(char.IsWhiteSpace) || !value.Contains('.', StringComparison.Ordinal))
            {
                throw new InvalidSettingException(setting, $"must be a domain such as example.com (the part after @), not '{value}'.");
            }

            return value;
        });
        var roleClaim = Text(section, "RoleClaim");
        var roles = List(section, "AllowedRoles", (_, value) => value);
        if (roleClaim is not null && roles.Count == 0)
        {
            throw new InvalidSettingException($"{Access}:AllowedRoles", $"is empty but {Access}:RoleClaim is set: list the values of claim '{roleClaim}' that may decode.");
        }

        if (roleClaim is null && roles.Count > 0)
        {
            throw new InvalidSettingException($"{Access}:RoleClaim", $"is required with {Access}:AllowedRoles: the claim holding the user's roles or groups (e.g. roles, groups).");
        }

        var access = new CodecAccessSettings(namespaces, emails, domains, roleClaim, roles);
        if (jwt is not null && !access.AllowsAnyUser)
        {
            throw new InvalidSettingException($"{Access}:AllowedEmails",
                $"is empty, and so are {Access}:AllowedEmailDomains and {Access}:AllowedRoles: a valid token would prove who the user is, but no user could be allowed to decode.");
        }

        if (jwt is null && access.AllowsAnyUser)
        {
            throw new InvalidSettingException($"{Jwt}:Preset",
                $"or {Jwt}:JwksUrl / {Jwt}:Authority / {Jwt}:SigningKey is required: {Access} allows users, but without a JWT check no user can sign in.");
        }

        return access;
    }

    private static List<string> List(IConfigurationSection section, string key, Func<string, string, string> check)
    {
        var values = new List<string>();
        foreach (var entry in section.GetSection(key).GetChildren())
        {
            var setting = $"{section.Path}:{key}:{entry.Key}";
            var value = entry.Value?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                throw new InvalidSettingException(setting, "is empty: remove it or give a value.");
            }

            values.Add(check(setting, value));
        }

        return values;
    }

    private static string? Text(IConfigurationSection section, string key) =>
        section[key]?.Trim() is { Length: > 0 } text ? text : null;
}
