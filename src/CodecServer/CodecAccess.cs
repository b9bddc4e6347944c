using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace EventProcessor.CodecServer;

/// <summary>
/// Who may decode what, beyond proving who they are: the request's <c>X-Namespace</c> must be one
/// of <c>CodecServer:Access:Namespaces</c> (the UI and the CLI send it with every request), and a
/// JWT caller must have an allowed email, an email in an allowed domain, or an allowed role. A
/// static token is an authorisation of its own. Refusals get 403 and one log line naming the caller
/// and the reason, never the token.
/// </summary>
internal static partial class CodecAccess
{
    public const string Policy = "CodecAccess";

    public static IServiceCollection AddCodecAccess(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, CodecAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().AddRequirements(new CodecAccessRequirement()));
        return services;
    }

    /// <summary>How the caller appears in log lines: <c>token:{name}</c>, the user's email, or <c>sub:{subject}</c>.</summary>
    public static string Caller(ClaimsPrincipal user, CodecJwtSettings? jwt)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return "unknown";
        }

        if (identity.AuthenticationType == CodecAuthentication.StaticTokenScheme)
        {
            return identity.Name ?? "token";
        }

        return Email(user, jwt) ?? $"sub:{Bounded(user.FindFirst("sub")?.Value ?? "?")}";
    }

    /// <summary>The namespace a request names, bounded and single-line so it can go into a log line.</summary>
    public static string Namespace(HttpRequest request) => Bounded(request.Headers["X-Namespace"].ToString());

    public static (bool Allowed, string Reason) Decide(CodecServerSettings settings, ClaimsPrincipal user, string ns)
    {
        var access = settings.Access;
        if (string.IsNullOrEmpty(ns))
        {
            return (false, "the request has no X-Namespace header (Temporal UI and CLI send it; CodecServer:Access:Namespaces lists the namespaces served)");
        }

        if (!access.Namespaces.Contains(ns, StringComparer.Ordinal))
        {
            return (false, $"namespace '{ns}' is not one of CodecServer:Access:Namespaces");
        }

        if (user.Identity?.AuthenticationType == CodecAuthentication.StaticTokenScheme)
        {
            return (true, "static token");
        }

        var email = Email(user, settings.Jwt);
        if (email is not null)
        {
            if (access.AllowedEmails.Contains(email, StringComparer.OrdinalIgnoreCase))
            {
                return (true, "allowed email");
            }

            var domain = email[(email.LastIndexOf('@') + 1)..];
            if (access.AllowedEmailDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
            {
                return (true, $"allowed domain {domain}");
            }
        }

        var roles = access.RoleClaim is null ? [] : user.FindAll(access.RoleClaim).Select(c => c.Value).ToList();
        if (roles.FirstOrDefault(r => access.AllowedRoles.Contains(r, StringComparer.Ordinal)) is { } role)
        {
            return (true, $"allowed role {Bounded(role)}");
        }

        var why = new List<string>
        {
            email is null
                ? $"the token carries no verified email (claims {string.Join(", ", settings.Jwt?.EmailClaims ?? [])})"
                : "the email is not in CodecServer:Access:AllowedEmails and its domain not in CodecServer:Access:AllowedEmailDomains",
        };
        if (access.RoleClaim is not null)
        {
            why.Add(roles.Count == 0
                ? $"the token has no claim '{access.RoleClaim}'"
                : $"none of its roles ({Bounded(string.Join(", ", roles))}) in claim '{access.RoleClaim}' is in CodecServer:Access:AllowedRoles");
        }

        return (false, string.Join("; ", why));
    }

    private static string? Email(ClaimsPrincipal user, CodecJwtSettings? jwt)
    {
        // An email the provider says it has not verified proves nothing about who signed in.
        if (string.Equals(user.FindFirst("email_verified")?.Value, "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var claim in jwt?.EmailClaims ?? [])
        {
            if (user.FindFirst(claim)?.Value is { Length: > 0 } email && email.Contains('@', StringComparison.Ordinal))
            {
                return Bounded(email);
            }
        }

        return null;
    }

    // Claims and headers are the caller's text: bounded and single-line before they reach a log line.
    internal static string Bounded(string text) =>
        new(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

internal sealed class CodecAccessRequirement : IAuthorizationRequirement;

/// <summary>Applies <see cref="CodecAccess.Decide"/> to the request being authorised, logging every refusal.</summary>
internal sealed partial class CodecAccessHandler(CodecServerSettings settings, ILogger<CodecAccessHandler> log)
    : AuthorizationHandler<CodecAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CodecAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        var ns = CodecAccess.Namespace(http.Request);
        var (allowed, reason) = CodecAccess.Decide(settings, context.User, ns);
        if (allowed)
        {
            context.Succeed(requirement);
        }
        else
        {
            LogForbidden(log, http.Request.Path.Value?.TrimStart('/') ?? "request", ns, CodecAccess.Caller(context.User, settings.Jwt), reason);
            context.Fail(new AuthorizationFailureReason(this, reason));
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Operation} forbidden for namespace '{Namespace}' to {Caller}: {Reason}")]
    private static partial void LogForbidden(ILogger logger, string operation, string @namespace, string caller, string reason);
}
