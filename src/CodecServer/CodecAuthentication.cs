using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EventProcessor.CodecServer;

/// <summary>
/// Authentication of codec requests: <c>Authorization: Bearer …</c> holding either one of the
/// static tokens of <c>CodecServer:Tokens</c> or an HS256 JWT checked against
/// <c>CodecServer:Jwt</c>. A policy scheme routes JWT-shaped tokens to the JWT bearer handler and
/// everything else to the static-token handler, so neither logs failures meant for the other.
/// </summary>
internal static class CodecAuthentication
{
    public const string Scheme = "CodecBearer";
    public const string StaticTokenScheme = "CodecStaticToken";
    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;

    public static IServiceCollection AddCodecAuthentication(this IServiceCollection services, CodecServerSettings settings)
    {
        var jwt = settings.Jwt;
        var builder = services
            .AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Static token or JWT", options =>
                options.ForwardDefaultSelector = context =>
                    jwt is not null && BearerToken.From(context.Request) is { } token && token.Count(c => c == '.') == 2 ? JwtScheme : StaticTokenScheme)
            .AddScheme<AuthenticationSchemeOptions, StaticTokenHandler>(StaticTokenScheme, null);
        if (jwt is not null)
        {
            builder.AddJwtBearer(JwtScheme, options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(jwt.SigningKey),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromMinutes(1),
                    NameClaimType = "sub",
                };
            });
        }

        return services;
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
