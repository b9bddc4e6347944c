using EventProcessor.Hosting;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace EventProcessor.CodecServer;

/// <summary>
/// The signing keys of <c>CodecServer:Jwt:JwksUrl</c>, or of the JWKS named by the discovery
/// document of <c>CodecServer:Jwt:Authority</c>, for the JWT bearer handler (which does all the
/// checking). Keys are cached; they are fetched again when a token names a <c>kid</c> the cache
/// lacks (a provider rotated its keys) before that token is checked, when the handler asks after a
/// key mismatch, and every <see cref="MaximumAge"/>. Fetches are serialised and at most one per
/// <see cref="MinimumRefreshInterval"/>, so tokens with made-up key ids cannot make the server
/// hammer the provider. When a fetch fails the cached keys stay in use; with none cached the
/// request fails with <see cref="SigningKeysUnavailableException"/> (503).
/// </summary>
internal sealed partial class SigningKeySource : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    public static TimeSpan MinimumRefreshInterval => CodecJwtSettings.KeyRefreshMinimumInterval;

    public static TimeSpan MaximumAge => CodecJwtSettings.KeyMaximumAge;

    /// <summary>A JWKS or discovery document is a few kilobytes; anything far larger is not one.</summary>
    private const int MaximumDocumentBytes = 1024 * 1024;

    private readonly CodecJwtSettings settings;
    private readonly TimeProvider time;
    private readonly ILogger<SigningKeySource> log;
    private readonly HttpClient http;
    private readonly SemaphoreSlim gate = new(1, 1);
    // One immutable reference, so a request reading it without the gate never sees keys of one fetch with the time of another.
    private volatile Cached? cache;
    private DateTimeOffset? lastAttempt;
    private volatile bool refreshRequested;

    public SigningKeySource(CodecJwtSettings settings, TimeProvider time, ILogger<SigningKeySource> log)
    {
        this.settings = settings;
        this.time = time;
        this.log = log;
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = MaximumDocumentBytes };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>Where the keys come from, for log lines.</summary>
    public Uri Address => settings.MetadataAddress ?? settings.JwksUrl ?? throw new InvalidOperationException("No JWKS or authority is configured.");

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var snapshot = cache;
        if (snapshot is not null && !refreshRequested && time.GetUtcNow() - snapshot.FetchedAt < MaximumAge)
        {
            return snapshot.Configuration;
        }

        return await RefreshAsync(cached => cached is null || ReferenceEquals(cached, snapshot?.Configuration), cancel);
    }

    /// <summary>Makes sure the keys include <paramref name="keyId"/>, fetching them again if allowed; whether it is known afterwards.</summary>
    public async Task<bool> EnsureKeyAsync(string keyId, CancellationToken cancel)
    {
        var configuration = await GetConfigurationAsync(cancel);
        if (HasKey(configuration, keyId))
        {
            return true;
        }

        LogUnknownKey(log, CodecAccess.Bounded(keyId));
        return HasKey(await RefreshAsync(cached => cached is null || !HasKey(cached, keyId), cancel), keyId);
    }

    /// <summary>
    /// Fetches the keys once at start, so a wrong URL or an unreachable provider shows in the log
    /// when the server is deployed rather than at the first support request. A failure does not
    /// stop the server (the provider may come back); requests retry within the usual bound.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancel)
    {
        try
        {
            _ = await GetConfigurationAsync(cancel);
        }
        catch (SigningKeysUnavailableException)
        {
            // Already logged with its cause.
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Shutting down before the first fetch finished.
        }
    }

    /// <summary>Called by the JWT bearer handler when no key matched a token: the next use fetches again (bounded like any fetch).</summary>
    public void RequestRefresh() => refreshRequested = true;

    public void Dispose()
    {
        http.Dispose();
        gate.Dispose();
    }

    private static bool HasKey(OpenIdConnectConfiguration configuration, string keyId) =>
        configuration.SigningKeys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));

    private async Task<OpenIdConnectConfiguration> RefreshAsync(Func<OpenIdConnectConfiguration?, bool> stillNeeded, CancellationToken cancel)
    {
        await gate.WaitAsync(cancel);
        try
        {
            var current = cache?.Configuration;

            // Another request may have fetched while this one waited.
            if (!stillNeeded(current))
            {
                return current!;
            }

            var now = time.GetUtcNow();
            if (lastAttempt is { } last && now - last < MinimumRefreshInterval)
            {
                LogRefreshDeferred(log, Address, (last + MinimumRefreshInterval - now).TotalSeconds);
                return current ?? throw new SigningKeysUnavailableException(
                    $"The signing keys of {Address} could not be fetched; the next attempt is allowed in {(last + MinimumRefreshInterval - now).TotalSeconds:0} s.");
            }

            lastAttempt = now;
            try
            {
                var fetched = await FetchAsync(cancel);
                cache = new Cached(fetched, now);
                refreshRequested = false;
                LogFetched(log, Address, string.Join(", ", fetched.SigningKeys.Select(k => k.KeyId ?? "(no kid)")));
                return fetched;
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or ArgumentException or System.Text.Json.JsonException or InvalidSettingException
                or TaskCanceledException && !cancel.IsCancellationRequested)
            {
                if (current is not null)
                {
                    LogFetchFailedKeepingCache(log, Address, ex.Message);
                    return current;
                }

                LogFetchFailed(log, Address, ex.Message);
                throw new SigningKeysUnavailableException($"The signing keys of {Address} could not be fetched: {ex.Message}", ex);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<OpenIdConnectConfiguration> FetchAsync(CancellationToken cancel)
    {
        OpenIdConnectConfiguration configuration;
        Uri jwksUrl;
        if (settings.MetadataAddress is { } metadata)
        {
            configuration = OpenIdConnectConfiguration.Create(await GetAsync(metadata, cancel));
            if (string.IsNullOrEmpty(configuration.JwksUri) || string.IsNullOrEmpty(configuration.Issuer))
            {
                throw new InvalidDataException($"the discovery document {metadata} has no jwks_uri or no issuer.");
            }

            jwksUrl = CodecServerOptions.KeyEndpoint($"jwks_uri of {metadata}", configuration.JwksUri);
            configuration.Issuer = settings.Issuer ?? configuration.Issuer;
        }
        else
        {
            jwksUrl = settings.JwksUrl!;
            configuration = new OpenIdConnectConfiguration { Issuer = settings.Issuer, JwksUri = jwksUrl.AbsoluteUri };
        }

        var keySet = new JsonWebKeySet(await GetAsync(jwksUrl, cancel));
        configuration.JsonWebKeySet = keySet;
        foreach (var key in keySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        if (configuration.SigningKeys.Count == 0)
        {
            throw new InvalidDataException($"{jwksUrl} holds no usable signing key.");
        }

        return configuration;
    }

    private async Task<string> GetAsync(Uri url, CancellationToken cancel)
    {
        using var response = await http.GetAsync(url, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }

        return await response.Content.ReadAsStringAsync(cancel);
    }

    private sealed record Cached(OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Signing keys fetched from {Address}: {KeyIds}")]
    private static partial void LogFetched(ILogger logger, Uri address, string keyIds);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "A token names key '{KeyId}', which the cached signing keys lack: fetching them again")]
    private static partial void LogUnknownKey(ILogger logger, string keyId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Signing keys of {Address} not fetched again: the last attempt was under the minimum interval ({WaitSeconds:0} s left)")]
    private static partial void LogRefreshDeferred(ILogger logger, Uri address, double waitSeconds);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Signing keys of {Address} could not be fetched again ({Reason}); the cached keys stay in use")]
    private static partial void LogFetchFailedKeepingCache(ILogger logger, Uri address, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Signing keys of {Address} could not be fetched ({Reason}): no JWT can be checked until they are")]
    private static partial void LogFetchFailed(ILogger logger, Uri address, string reason);
}

/// <summary>No signing keys could be fetched, so no JWT can be checked: the request gets 503, not a misleading 401.</summary>
public sealed class SigningKeysUnavailableException : Exception
{
    public SigningKeysUnavailableException()
    {
    }

    public SigningKeysUnavailableException(string message)
        : base(message)
    {
    }

    public SigningKeysUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
