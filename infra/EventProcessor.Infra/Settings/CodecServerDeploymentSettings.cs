using System.Net;
using System.Text.RegularExpressions;

namespace EventProcessor.Infra;

/// <summary>
/// Section <c>codecServer</c> of an environment file: the codec server (src/CodecServer) as a
/// Fargate service behind an HTTPS load balancer, for Temporal Web UI and the CLI. Absent: not
/// deployed. Its payload keys are the worker's <c>Encryption__*</c> secrets; everything here maps
/// to the codec server's <c>CodecServer:*</c> settings (docs/encryption.md).
/// </summary>
internal sealed record CodecServerDeploymentSettings
{
    /// <summary>ECR repository (in the stack's account) holding the codec server image; or use <see cref="ImageUri"/>.</summary>
    public string? ImageRepository { get; init; }

    public string ImageTag { get; init; } = "latest";

    public string? ImageUri { get; init; }

    /// <summary>ACM certificate of the name support staff use (e.g. codec.example.com), in the stack's region.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>True: reachable from support staff's browsers anywhere (within <see cref="IngressCidrs"/>); false: only inside the VPC (VPN).</summary>
    public bool InternetFacing { get; init; } = true;

    /// <summary>Networks allowed to reach port 443; narrow it to the office/VPN ranges where possible.</summary>
    public IReadOnlyList<string> IngressCidrs { get; init; } = ["0.0.0.0/0"];

    /// <summary>With an existing VPC (worker.vpcId) and <see cref="InternetFacing"/>: the public subnets for the load balancer.</summary>
    public IReadOnlyList<string> PublicSubnetIds { get; init; } = [];

    public int Cpu { get; init; } = 256;

    public int MemoryMiB { get; init; } = 512;

    public int DesiredCount { get; init; } = 1;

    /// <summary>Browser origins of the UI: https://cloud.temporal.io for Temporal Cloud, the self-hosted UI's URL otherwise.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public CodecJwtDeploymentSettings Jwt { get; init; } = new();

    public CodecAccessDeploymentSettings Access { get; init; } = new();

    /// <summary>Static bearer tokens for the CLI: name (letters, digits, _) to the secret holding the token.</summary>
    public IReadOnlyDictionary<string, SecretReference> Tokens { get; init; } = new Dictionary<string, SecretReference>();

    public int LogRetentionDays { get; init; } = 30;

    /// <summary>5xx answers (of the server or the load balancer) per alarms.periodMinutes that raise the alarm.</summary>
    public int ServerErrorsThreshold { get; init; } = 1;
}

/// <summary>Maps to <c>CodecServer:Jwt:*</c>; only asymmetric keys (a shared HS256 key is not deployed).</summary>
internal sealed record CodecJwtDeploymentSettings
{
    public string? Preset { get; init; }

    public string? JwksUrl { get; init; }

    public string? Authority { get; init; }

    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    public bool IsSet => Preset is not null || JwksUrl is not null || Authority is not null;
}

/// <summary>Maps to <c>CodecServer:Access:*</c>; <see cref="Namespaces"/> empty means temporal.namespace.</summary>
internal sealed record CodecAccessDeploymentSettings
{
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<string> AllowedEmails { get; init; } = [];

    public IReadOnlyList<string> AllowedEmailDomains { get; init; } = [];

    public string? RoleClaim { get; init; }

    public IReadOnlyList<string> AllowedRoles { get; init; } = [];
}

/// <summary>Checks section <c>codecServer</c>; called from <see cref="SettingsValidator"/> so all problems are reported together.</summary>
internal static partial class CodecServerDeploymentValidator
{
    public static void Validate(DeploymentSettings s, Action<bool, string> check)
    {
        if (s.CodecServer is not { } c)
        {
            return;
        }

        check((c.ImageRepository is null) != (c.ImageUri is null), "codecServer: set exactly one of imageRepository and imageUri");
        check(!string.IsNullOrWhiteSpace(c.ImageTag), "codecServer.imageTag is required");
        check(c.CertificateArn is not null && CertificateArnPattern().IsMatch(c.CertificateArn),
            $"codecServer.certificateArn must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID), given in the file or as -c {SettingsLoader.CodecServerCertificateArnKey}=...; the UI only calls a codec server over https");
        check(c.CertificateArn is null || s.Region is null || !CertificateArnPattern().IsMatch(c.CertificateArn) || CertificateArnPattern().Match(c.CertificateArn).Groups["region"].Value == s.Region,
            $"codecServer.certificateArn must be in the stack's region '{s.Region}' (a load balancer uses certificates of its own region)");
        check(SettingsValidator.IsFargateSize(c.Cpu, c.MemoryMiB), $"codecServer: cpu {c.Cpu} with memoryMiB {c.MemoryMiB} is not a Fargate size");
        check(c.DesiredCount >= 1, "codecServer.desiredCount must be at least 1");
        check(SettingsValidator.LogRetentionDays.Contains(c.LogRetentionDays), $"codecServer.logRetentionDays {c.LogRetentionDays} is not a CloudWatch Logs retention period");
        check(c.ServerErrorsThreshold >= 1, "codecServer.serverErrorsThreshold must be at least 1");
        check(c.IngressCidrs.Count > 0, "codecServer.ingressCidrs is empty: nobody could reach the codec server");
        foreach (var cidr in c.IngressCidrs)
        {
            check(IsIPv4Cidr(cidr), $"codecServer.ingressCidrs: '{cidr}' is not an IPv4 CIDR such as 203.0.113.0/24");
        }

        if (s.Worker.VpcId is not null && c.InternetFacing)
        {
            check(c.PublicSubnetIds.Count > 0, "codecServer: an internet-facing codec server in an existing VPC (worker.vpcId) needs publicSubnetIds");
        }

        check(s.Worker.VpcId is not null || c.PublicSubnetIds.Count == 0, "codecServer: publicSubnetIds need an existing VPC (worker.vpcId)");

        foreach (var origin in c.AllowedOrigins)
        {
            check(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query),
                $"codecServer.allowedOrigins: '{origin}' must be an https origin such as https://cloud.temporal.io (no path, no wildcard)");
        }

        var jwt = c.Jwt;
        check(new[] { jwt.Preset, jwt.JwksUrl, jwt.Authority }.Count(v => v is not null) <= 1, "codecServer.jwt: set only one of preset, jwksUrl and authority");
        check(jwt.Preset is null || jwt.Preset == "TemporalCloud", $"codecServer.jwt.preset '{jwt.Preset}' is unknown; the only preset is TemporalCloud");
        foreach (var (name, url) in new[] { ("jwksUrl", jwt.JwksUrl), ("authority", jwt.Authority) })
        {
            check(url is null || (Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps), $"codecServer.jwt.{name} '{url}' must be an https URL");
        }

        check((jwt.Issuer is null && jwt.Audience is null) || jwt.IsSet, "codecServer.jwt: issuer and audience need preset, jwksUrl or authority");
        check(jwt.IsSet || c.Tokens.Count > 0, "codecServer: set jwt (for the UI) or tokens (for the CLI): nobody could be authorised to decode");

        var access = c.Access;
        var allowsUsers = access.AllowedEmails.Count > 0 || access.AllowedEmailDomains.Count > 0 || access.AllowedRoles.Count > 0;
        check(!jwt.IsSet || allowsUsers, "codecServer.access: with jwt set, give allowedEmails, allowedEmailDomains or roleClaim + allowedRoles: no signed-in user could decode otherwise");
        check((access.RoleClaim is null) == (access.AllowedRoles.Count == 0), "codecServer.access: roleClaim and allowedRoles go together");
        check(jwt.IsSet || !allowsUsers, "codecServer.access: allowed users need codecServer.jwt to sign in");

        foreach (var (name, token) in c.Tokens)
        {
            check(TokenNamePattern().IsMatch(name), $"codecServer.tokens: '{name}' must be letters, digits and _ (it becomes CodecServer__Tokens__{name})");
            check(!string.IsNullOrWhiteSpace(token.Secret), $"codecServer.tokens['{name}'].secret is required");
        }

        // The codec server refuses to start without the keys; ECS would only show tasks failing in a loop.
        var keys = s.Worker.Secrets.Keys;
        check(keys.Contains(WorkerConfiguration.EncryptionCurrentKeyId, StringComparer.OrdinalIgnoreCase)
                && keys.Any(k => k.StartsWith(WorkerConfiguration.EncryptionKeysPrefix, StringComparison.OrdinalIgnoreCase)),
            $"codecServer: the codec server takes the payload keys from worker.secrets, which must give {WorkerConfiguration.EncryptionCurrentKeyId} and {WorkerConfiguration.EncryptionKeysPrefix}{{id}}");
    }

    private static bool IsIPv4Cidr(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && IPAddress.TryParse(parts[0], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix) && prefix is >= 0 and <= 32;
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:(?<region>[a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateArnPattern();

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex TokenNamePattern();
}
