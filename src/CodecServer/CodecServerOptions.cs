using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Net;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventProcessor.CodecServer;

/// <summary>
/// Section <c>CodecServer</c> as bound by the configuration-binding source generator and checked by
/// <see cref="CodecServerOptionsValidator"/>, like every other section (<see cref="SectionValidator{TOptions}"/>):
/// <c>AllowedOrigins</c> (list of origins such as <c>https://temporal-ui.example.com</c>),
/// <c>Tokens:{name}</c> (static bearer tokens), <c>Jwt</c> (one of <c>JwksUrl</c>, <c>Authority</c>,
/// <c>Preset=TemporalCloud</c> or the HS256 <c>SigningKey</c>, with <c>Issuer</c> and <c>Audience</c>)
/// and <c>Access</c> (<c>Namespaces</c>, <c>AllowedEmails</c>, <c>AllowedEmailDomains</c>,
/// <c>RoleClaim</c> + <c>AllowedRoles</c>). A server nobody could be authorised against refuses to
/// start. Messages never contain a token or the signing key.
/// </summary>
public sealed class CodecServerOptions : IValidatableObject
{
    public const int MinimumTokenLength = 16;
    public const int MinimumSigningKeyBytes = 32;
    private const string Section = CodecServerSettings.SectionName;
    private const string JwtPath = $"{Section}:Jwt";
    private const string AccessPath = $"{Section}:Access";

    /// <summary>The generated validator of this section, reporting as every other section does.</summary>
    public static readonly SectionValidator<CodecServerOptions> Validator = new(Section, new CodecServerOptionsValidator());

    /// <summary>Browser origins allowed to call (Temporal Web UI); none means the CLI only.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Static bearer tokens by name (the name is logged as the caller). Secret.</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public CodecJwtOptions Jwt { get; set; } = new();

    public CodecAccessOptions Access { get; set; } = new();

    /// <summary>Reads and checks section <c>CodecServer</c>.</summary>
    /// <exception cref="InvalidSettingException">A setting is wrong; the message names it.</exception>
    public static CodecServerSettings Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<CodecServerOptions>() ?? new CodecServerOptions()).Build();

    /// <summary>The checked settings.</summary>
    /// <exception cref="InvalidSettingException">A setting is wrong.</exception>
    public CodecServerSettings ToSettings() => Validator.ThrowIfInvalid(this).Build();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            if (OriginProblem(AllowedOrigins[i]) is { } problem)
            {
                yield return new ValidationResult(problem, [$"{nameof(AllowedOrigins)}:{i}"]);
            }
        }

        foreach (var (name, value) in Tokens)
        {
            if (TokenProblem(value) is { } problem)
            {
                yield return new ValidationResult(problem, [Entry(nameof(Tokens), name)]);
            }
        }

        var jwt = Jwt.Effective();
        foreach (var problem in jwt.Problems)
        {
            yield return problem;
        }

        if (Tokens.Count == 0 && !jwt.Configured)
        {
            yield return new ValidationResult(
                $"is empty and no JWT check is configured: nobody could be authorised to decode. Set {Section}:Tokens:{{name}} (at least {MinimumTokenLength} characters) for the CLI, or {JwtPath}:Preset=TemporalCloud, {JwtPath}:JwksUrl or {JwtPath}:Authority for the UI.",
                [nameof(Tokens)]);
        }

        foreach (var problem in Access.Check(jwt.Configured))
        {
            yield return problem;
        }
    }

    /// <summary>An https URL; http only on loopback, for a provider run next to the codec server (and tests).</summary>
    /// <exception cref="InvalidSettingException"><paramref name="text"/> is not such a URL; the message names <paramref name="setting"/>.</exception>
    internal static Uri KeyEndpoint(string setting, string text) =>
        KeyEndpointProblem(text, out var uri) is { } problem ? throw new InvalidSettingException(setting, problem) : uri!;

    internal static string? KeyEndpointProblem(string text, out Uri? endpoint)
    {
        endpoint = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"must be an absolute https URL, not '{text}'.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
        {
            return $"must use https (keys fetched over plain http could be swapped on the way), not '{text}'.";
        }

        endpoint = uri;
        return null;
    }

    /// <summary>
    /// The member naming a dictionary entry: <c>Tokens:cli</c>. A key that could not be told apart
    /// from the rest of the line (a space, a comma) names the dictionary.
    /// </summary>
    internal static string Entry(string dictionary, string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? $"{dictionary}:{key}" : dictionary;

    internal static string? Trimmed(string? value) => value?.Trim() is { Length: > 0 } text ? text : null;

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string? OriginProblem(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return "is empty: set an origin such as https://temporal-ui.example.com.";
        }

        // Credentials are allowed, so a wildcard would let any site read decoded payloads with a user's cookies.
        return !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo)
            ? $"must be an origin (scheme://host[:port], no path, no wildcard), not '{text}'."
            : null;
    }

    private static string? TokenProblem(string? value)
    {
        var token = value?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            return "is empty: remove it, or set a random token (e.g. openssl rand -base64 32).";
        }

        if (token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace))
        {
            return $"is too weak: use at least {MinimumTokenLength} characters without spaces (e.g. openssl rand -base64 32).";
        }

        // A JWT-shaped value is routed to the JWT check, so a static token must not look like one.
        return token.Count(c => c == '.') == 2
            ? "looks like a JWT (three dot-separated parts): static tokens must not contain two dots."
            : null;
    }

    private CodecServerSettings Build()
    {
        var origins = AllowedOrigins.Select(o => new Uri(o.Trim()).GetLeftPart(UriPartial.Authority)).ToList();
        var tokens = Tokens.Select(t => CodecToken.Of(t.Key, t.Value.Trim())).ToList();
        return new CodecServerSettings(origins, tokens, Jwt.Effective().ToSettings(), Access.ToSettings());
    }
}

/// <summary>
/// Section <c>CodecServer:Jwt</c>: one source of signing keys (<see cref="SigningKey"/>,
/// <see cref="JwksUrl"/>, <see cref="Authority"/> or <see cref="Preset"/>), and the claims checked.
/// </summary>
public sealed class CodecJwtOptions
{
    private const string JwtPath = $"{CodecServerSettings.SectionName}:Jwt";
    private const string Member = nameof(CodecServerOptions.Jwt);

    /// <summary>HS256 shared key as base64, at least 32 bytes. Secret.</summary>
    public string? SigningKey { get; set; }

    public string? JwksUrl { get; set; }

    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary><c>TemporalCloud</c>: Temporal Cloud's JWKS and audience, unless set.</summary>
    public string? Preset { get; set; }

    /// <summary>The settings with the preset filled in, and what is wrong with them.</summary>
    internal EffectiveJwt Effective()
    {
        var keyText = CodecServerOptions.Trimmed(SigningKey);
        var jwksText = CodecServerOptions.Trimmed(JwksUrl);
        var authorityText = CodecServerOptions.Trimmed(Authority);
        var issuer = CodecServerOptions.Trimmed(Issuer);
        var audience = CodecServerOptions.Trimmed(Audience);
        var preset = CodecServerOptions.Trimmed(Preset);
        var problems = new List<ValidationResult>();

        if (preset is not null)
        {
            if (!string.Equals(preset, CodecJwtSettings.TemporalCloudPreset, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new($"is '{preset}'; the only preset is {CodecJwtSettings.TemporalCloudPreset} (Temporal Cloud's UI passing the user's access token).", [$"{Member}:{nameof(Preset)}"]));
            }
            else if (keyText is not null || authorityText is not null)
            {
                problems.Add(new($"cannot be combined with {JwtPath}:Preset={CodecJwtSettings.TemporalCloudPreset}, whose tokens are checked against Temporal Cloud's JWKS.",
                    [keyText is not null ? $"{Member}:{nameof(SigningKey)}" : $"{Member}:{nameof(Authority)}"]));
            }
            else
            {
                // The preset fills in what is not set; JwksUrl and Audience stay overridable (a mirror, a test).
                preset = CodecJwtSettings.TemporalCloudPreset;
                jwksText ??= CodecJwtSettings.TemporalCloudJwksUrl;
                audience ??= CodecJwtSettings.TemporalCloudAudience;
            }
        }

        var sources = new[] { (nameof(SigningKey), keyText), (nameof(JwksUrl), jwksText), (nameof(Authority), authorityText) }.Where(s => s.Item2 is not null).ToList();
        var effective = new EffectiveJwt(sources.Count > 0 || preset is not null, problems, keyText, jwksText, authorityText, issuer, audience, preset);
        if (problems.Count > 0)
        {
            return effective;
        }

        if (sources.Count == 0)
        {
            if (issuer is not null || audience is not null)
            {
                problems.Add(new($"is set but no keys are: set {JwtPath}:JwksUrl, {JwtPath}:Authority, {JwtPath}:Preset or {JwtPath}:SigningKey.",
                    [issuer is not null ? $"{Member}:{nameof(Issuer)}" : $"{Member}:{nameof(Audience)}"]));
            }

            return effective;
        }

        if (sources.Count > 1)
        {
            problems.Add(new($"cannot be combined with {JwtPath}:{sources[0].Item1}: set only one source of signing keys.", [$"{Member}:{sources[1].Item1}"]));
            return effective;
        }

        if (keyText is not null)
        {
            if (!Base64.IsValid(keyText, out var length))
            {
                problems.Add(new("is malformed: it must be base64.", [$"{Member}:{nameof(SigningKey)}"]));
            }
            else if (length < CodecServerOptions.MinimumSigningKeyBytes)
            {
                problems.Add(new($"decodes to {length} bytes; HS256 needs at least {CodecServerOptions.MinimumSigningKeyBytes}.", [$"{Member}:{nameof(SigningKey)}"]));
            }

            // Whoever holds a shared key can mint tokens for any issuer, so both claims are pinned.
            if (issuer is null)
            {
                problems.Add(new($"is required with {JwtPath}:SigningKey: the issuer (iss) tokens must carry.", [$"{Member}:{nameof(Issuer)}"]));
            }

            if (audience is null)
            {
                problems.Add(new($"is required with {JwtPath}:SigningKey: the audience (aud) tokens must carry.", [$"{Member}:{nameof(Audience)}"]));
            }

            return effective;
        }

        foreach (var (name, text) in sources)
        {
            if (CodecServerOptions.KeyEndpointProblem(text!, out _) is { } problem)
            {
                problems.Add(new(problem, [$"{Member}:{name}"]));
            }
        }

        return effective;
    }

    internal sealed record EffectiveJwt(
        bool Configured, List<ValidationResult> Problems, string? SigningKey, string? JwksUrl, string? Authority, string? Issuer, string? Audience, string? Preset)
    {
        /// <summary>The checked JWT settings, or null when no JWT check is configured.</summary>
        public CodecJwtSettings? ToSettings()
        {
            if (!Configured)
            {
                return null;
            }

            return SigningKey is not null
                ? new CodecJwtSettings { SigningKey = Convert.FromBase64String(SigningKey), Issuer = Issuer, Audience = Audience }
                : new CodecJwtSettings
                {
                    JwksUrl = JwksUrl is null ? null : CodecServerOptions.KeyEndpoint($"{JwtPath}:JwksUrl", JwksUrl),
                    Authority = Authority is null ? null : CodecServerOptions.KeyEndpoint($"{JwtPath}:Authority", Authority),
                    Issuer = Issuer,
                    Audience = Audience,
                    Preset = Preset,
                };
        }

        // The generated ToString would print the signing key.
        public override string ToString() => $"EffectiveJwt {{ Configured = {Configured}, Preset = {Preset} }}";
    }
}

/// <summary>Section <c>CodecServer:Access</c>: the namespaces served, and which signed-in users may decode.</summary>
public sealed class CodecAccessOptions
{
    private const string AccessPath = $"{CodecServerSettings.SectionName}:Access";
    private const string JwtPath = $"{CodecServerSettings.SectionName}:Jwt";
    private const string Member = nameof(CodecServerOptions.Access);

    /// <summary>Temporal namespaces whose payloads may be decoded; requests name theirs in <c>X-Namespace</c>.</summary>
    public IList<string> Namespaces { get; } = [];

    public IList<string> AllowedEmails { get; } = [];

    public IList<string> AllowedEmailDomains { get; } = [];

    /// <summary>The claim holding the user's roles or groups.</summary>
    public string? RoleClaim { get; set; }

    /// <summary>Values of <see cref="RoleClaim"/> that may decode.</summary>
    public IList<string> AllowedRoles { get; } = [];

    internal IEnumerable<ValidationResult> Check(bool jwtConfigured)
    {
        var problems = new List<ValidationResult>();
        List(problems, Namespaces, nameof(Namespaces), value =>
            value.Any(char.IsWhiteSpace) || value.Length > 1000 ? $"is not a Temporal namespace name: '{value}'." : null);
        if (Namespaces.Count == 0)
        {
            problems.Add(new(
                $"is empty: list the Temporal namespaces whose payloads may be decoded ({AccessPath}:Namespaces:0=event-processor.abcde); requests name theirs in X-Namespace.",
                [$"{Member}:{nameof(Namespaces)}"]));
        }

        List(problems, AllowedEmails, nameof(AllowedEmails), value =>
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            return at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || value.Any(char.IsWhiteSpace)
                ? $"is not an email address: '{value}'."
                : null;
        });
        List(problems, AllowedEmailDomains, nameof(AllowedEmailDomains), value =>
            value.Contains('@', StringComparison.Ordinal) || value.Any(char.IsWhiteSpace) || !value.Contains('.', StringComparison.Ordinal)
                ? $"must be a domain such as example.com (the part after @), not '{value}'."
                : null);
        List(problems, AllowedRoles, nameof(AllowedRoles), _ => null);

        var roleClaim = CodecServerOptions.Trimmed(RoleClaim);
        if (roleClaim is not null && AllowedRoles.Count == 0)
        {
            problems.Add(new($"is empty but {AccessPath}:RoleClaim is set: list the values of claim '{roleClaim}' that may decode.", [$"{Member}:{nameof(AllowedRoles)}"]));
        }

        if (roleClaim is null && AllowedRoles.Count > 0)
        {
            problems.Add(new($"is required with {AccessPath}:AllowedRoles: the claim holding the user's roles or groups (e.g. roles, groups).", [$"{Member}:{nameof(RoleClaim)}"]));
        }

        var allowsAnyUser = AllowedEmails.Count > 0 || AllowedEmailDomains.Count > 0 || (roleClaim is not null && AllowedRoles.Count > 0);
        if (jwtConfigured && !allowsAnyUser)
        {
            problems.Add(new(
                $"is empty, and so are {AccessPath}:AllowedEmailDomains and {AccessPath}:AllowedRoles: a valid token would prove who the user is, but no user could be allowed to decode.",
                [$"{Member}:{nameof(AllowedEmails)}"]));
        }

        if (!jwtConfigured && allowsAnyUser)
        {
            problems.Add(new(
                $"or {JwtPath}:JwksUrl / {JwtPath}:Authority / {JwtPath}:SigningKey is required: {AccessPath} allows users, but without a JWT check no user can sign in.",
                [$"{nameof(CodecServerOptions.Jwt)}:{nameof(CodecJwtOptions.Preset)}"]));
        }

        return problems;
    }

    internal CodecAccessSettings ToSettings() => new(
        [.. Namespaces.Select(v => v.Trim())],
        [.. AllowedEmails.Select(v => v.Trim())],
        [.. AllowedEmailDomains.Select(v => v.Trim())],
        CodecServerOptions.Trimmed(RoleClaim),
        [.. AllowedRoles.Select(v => v.Trim())]);

    private static void List(List<ValidationResult> problems, IList<string> values, string key, Func<string, string?> check)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var member = $"{Member}:{key}:{i}";
            var value = values[i]?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                problems.Add(new("is empty: remove it or give a value.", [member]));
            }
            else if (check(value) is { } problem)
            {
                problems.Add(new(problem, [member]));
            }
        }
    }
}

/// <summary>Written by the options-validation source generator from <see cref="CodecServerOptions"/>.</summary>
[OptionsValidator]
public sealed partial class CodecServerOptionsValidator : IValidateOptions<CodecServerOptions>;
