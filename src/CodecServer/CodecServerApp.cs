using EventProcessor.Hosting;
using EventProcessor.Encryption;
using Temporalio.Converters;

namespace EventProcessor.CodecServer;

/// <summary>
/// Builds the codec server: settings checked before anything listens (section <c>Encryption</c>
/// for the keys, section <c>CodecServer</c> for origins and callers), CORS for Temporal Web UI,
/// bearer authentication, and the codec endpoints. Endpoints may be mounted under any prefix
/// (<c>/{namespace}/decode</c> for the CLI's <c>--codec-endpoint http://host/{namespace}</c>):
/// per the protocol only the last path segment chooses the operation.
/// </summary>
public static class CodecServerApp
{
    public const string CorsPolicy = "TemporalUi";

    /// <param name="configure">Lets a test or host add configuration and logging before the settings are read.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var encryption = EncryptionOptions.Read(builder.Configuration);
        if (!encryption.Enabled || encryption.Keys is null)
        {
            throw new InvalidSettingException($"{EncryptionSettings.SectionName}:Enabled",
                "is false: the codec server needs the keys (Encryption:CurrentKeyId and Encryption:Keys or Encryption:KeyFiles) to decode anything.");
        }

        var settings = CodecServerOptions.Read(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<IPayloadCodec>(new AesGcmPayloadCodec(encryption.Keys));
        builder.Services.AddCodecAuthentication(settings);
        builder.Services.AddCodecAccess();
        builder.Services.AddProbes();
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy =>
        {
            // The UI may send cookies ("include credentials"), so origins are listed, never a wildcard.
            policy.WithOrigins([.. settings.AllowedOrigins])
                .WithMethods("POST")
                .WithHeaders("content-type", "x-namespace", "authorization")
                .AllowCredentials()
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));

        var app = builder.Build();
        app.Logger.LogInformation(
            "Codec server: {Keys}; callers: {Tokens} static token(s); {Jwt}; users allowed: {Users}; namespaces: {Namespaces}; browser origins: {Origins}",
            encryption.Keys,
            settings.Tokens.Count,
            settings.Jwt?.Describe() ?? "no JWTs",
            DescribeUsers(settings.Access),
            string.Join(", ", settings.Access.Namespaces),
            settings.AllowedOrigins.Count == 0 ? "none (CLI only)" : string.Join(", ", settings.AllowedOrigins));
        if (settings.Jwt is { SigningKey: null, Audience: null })
        {
            // Without an audience any token of that provider (issued for any application) authenticates; only the allow-list then stands between it and the payloads.
            app.Logger.LogWarning("CodecServer:Jwt:Audience is not set: tokens the provider issued for any application are accepted, subject to CodecServer:Access");
        }

        if (app.Services.GetService<SigningKeySource>() is { } keys)
        {
            app.Lifetime.ApplicationStarted.Register(() => _ = keys.WarmUpAsync(app.Lifetime.ApplicationStopping));
        }

        app.Use(SigningKeysUnavailableAs503);
        app.Use(OperationFromLastSegment);
        app.UseRouting();
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCodecEndpoints();
        return app;
    }

    private static string DescribeUsers(CodecAccessSettings access)
    {
        var rules = new List<string>();
        if (access.AllowedEmails.Count > 0)
        {
            rules.Add($"{access.AllowedEmails.Count} email(s)");
        }

        if (access.AllowedEmailDomains.Count > 0)
        {
            rules.Add($"domains {string.Join(", ", access.AllowedEmailDomains)}");
        }

        if (access.RoleClaim is not null)
        {
            rules.Add($"roles {string.Join(", ", access.AllowedRoles)} of claim {access.RoleClaim}");
        }

        return rules.Count == 0 ? "none (static tokens only)" : string.Join("; ", rules);
    }

    /// <summary>The identity provider's keys could not be fetched: a fault of this side (503, alarmed), not of the caller's token.</summary>
    private static async Task SigningKeysUnavailableAs503(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (SigningKeysUnavailableException) when (!context.Response.HasStarted)
        {
            // The key source has logged the cause; the caller learns only that it may try again.
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = ((int)SigningKeySource.MinimumRefreshInterval.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new CodecError("The codec server cannot fetch its identity provider's signing keys; try again shortly."));
        }
    }

    private static Task OperationFromLastSegment(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value;
        if (path is not null)
        {
            var trimmed = path.TrimEnd('/');
            var slash = trimmed.LastIndexOf('/');
            var operation = trimmed[(slash + 1)..];
            if (slash > 0 && operation is "encode" or "decode")
            {
                context.Request.PathBase = context.Request.PathBase.Add(trimmed[..slash]);
                context.Request.Path = "/" + operation;
            }
        }

        return next(context);
    }
}
