using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventProcessor.CodecServer;

/// <summary>
/// Authentication of codec requests: <c>Authorization: Bearer …</c> holding either one of the
/// static tokens of <c>CodecServer:Tokens</c> (the CLI) or a JWT checked by the framework's JWT
/// bearer handler against <c>CodecServer:Jwt</c> (the UI passing the user's access token). A
/// policy scheme routes JWT-shaped tokens to the JWT handler and everything else to the
/// static-token handler, so neither logs failures meant for the other.
/// </summary>
internal static class CodecAuthentication
{
    public const string Scheme = "CodecBearer";
    public const string StaticTokenScheme = "CodecStaticToken";
    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>Tolerated clock difference between the token's issuer and this server.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddCodecAuthentication(this IServiceCollection services, CodecServerSettings settings)
    {
        var jwt = settings.Jwt;
        var builder = services
            .AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Static token or JWT", options =>
                options.ForwardDefaultSelector = context =>
                    jwt is not null && BearerToken.From(context.Request) is { } token && token.Count(c => c == '.') == 2 ? JwtScheme : StaticTokenScheme)
            .AddScheme<AuthenticationSchemeOptions, StaticTokenHandler>(StaticTokenScheme, null);
        if (jwt is null)
        {
            return services;
        }

        builder.AddJwtBearer(JwtScheme, options =>
        {
            // Claim names as the issuer wrote them: "email", Temporal Cloud's URL-named claims, "roles", "groups".
            options.MapInboundClaims = false;
            options.RefreshOnIssuerKeyNotFound = true;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                ValidAlgorithms = jwt.Algorithms,
                ValidateIssuer = jwt.Issuer is not null || jwt.Authority is not null,
                ValidateAudience = jwt.Audience is not null,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = ClockSkew,
                NameClaimType = "sub",
            };
            if (jwt.SigningKey is not null)
            {
                options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(jwt.SigningKey);
            }

            options.Events = new JwtBearerEvents { OnMessageReceived = FetchKeysForUnknownKeyIdAsync };
        });

        if (jwt.SigningKey is null)
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton(sp => new SigningKeySource(jwt, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SigningKeySource>>()));
            services.AddOptions<JwtBearerOptions>(JwtScheme).Configure<SigningKeySource>((options, keys) => options.ConfigurationManager = keys);
        }

        return services;
    }

    /// <summary>
    /// Before the handler checks a token, a <c>kid</c> the cached keys lack makes the key source
    /// fetch the JWKS again, so the first token signed with a rotated key is accepted at once (the
    /// handler on its own would refuse it and only refresh for a later request).
    /// </summary>
    private static async Task FetchKeysForUnknownKeyIdAsync(MessageReceivedContext context)
    {
        if (context.HttpContext.RequestServices.GetService<SigningKeySource>() is not { } keys
            || BearerToken.From(context.Request) is not { } token)
        {
            return;
        }

        string? keyId;
        try
        {
            keyId = new JsonWebToken(token).Kid;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            // Not a JWT at all: the handler refuses it with its own reason.
            return;
        }

        if (!string.IsNullOrEmpty(keyId))
        {
            await keys.EnsureKeyAsync(keyId, context.HttpContext.RequestAborted);
        }
    }
}

/// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
internal static class BearerToken
{
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }
}

/// <summary>Accepts a bearer token equal to one of <c>CodecServer:Tokens</c>; the caller is known by the token's name.</summary>
internal sealed class StaticTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CodecServerSettings settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (settings.MatchToken(token) is not { } name)
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not one of CodecServer:Tokens."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"token:{name}")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
