using System.Globalization;
using System.Net;
using System.Text.Json;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>Where the AWS Parameters and Secrets Lambda Extension listens, and the token it wants.</summary>
/// <param name="Endpoint">Base address of the extension, e.g. <c>http://localhost:2773/</c>.</param>
/// <param name="SessionToken">The function's <c>AWS_SESSION_TOKEN</c>: the extension refuses callers without it.</param>
/// <param name="ReadyTimeout">How long a refused connection is retried while the extension may still be starting.</param>
public sealed record SecretsExtensionOptions(Uri Endpoint, string? SessionToken, TimeSpan ReadyTimeout)
{
    public const string PortVariable = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";
    public const string TokenHeader = "X-Aws-Parameters-Secrets-Token";
    public const int DefaultPort = 2773;

    /// <summary>
    /// Lambda starts the runtime once extensions have registered, not once they listen, so the
    /// first calls may be refused for a moment after a cold start.
    /// </summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(2);

    public static SecretsExtensionOptions FromEnvironment()
    {
        var portText = Environment.GetEnvironmentVariable(PortVariable);
        var port = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p : DefaultPort;
        return new SecretsExtensionOptions(
            new Uri($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/"),
            Environment.GetEnvironmentVariable(SessionTokenVariable),
            DefaultReadyTimeout);
    }

    // The generated ToString would print the session token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, SessionToken = {(SessionToken is null ? "(none)" : "(set)")}, ReadyTimeout = {ReadyTimeout}");
        return true;
    }
}

/// <summary>
/// Replaces secret references in configuration with the secrets' values, read from AWS Secrets
/// Manager through the AWS Parameters and Secrets Lambda Extension (no AWS SDK: it would add
/// assemblies and credential resolution to every cold start).
/// <para>
/// A key <c>{setting}SecretArn</c> (an ARN or a secret name) gives <c>{setting}</c> the secret's
/// string; with <c>{setting}SecretJsonKey</c> it gives that field of the secret's JSON instead. So
/// <c>Temporal__ApiKeySecretArn</c> becomes <c>Temporal:ApiKey</c> and
/// <c>Encryption__Keys__2026_11SecretArn</c> becomes <c>Encryption:Keys:2026_11</c>. The reference
/// keys themselves are removed, so readers that list a section's children (the encryption keys)
/// never see them. Each distinct secret is fetched once, all in parallel.
/// </para>
/// Errors name the setting and the secret, never a value; nothing fetched is logged.
/// </summary>
public static class SecretReferenceResolver
{
    public const string ArnSuffix = "SecretArn";
    public const string JsonKeySuffix = "SecretJsonKey";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The settings named by <c>…SecretArn</c> keys, e.g. <c>Temporal:ApiKey</c>.</summary>
    public static IReadOnlyList<string> ReferencedSettings(IConfiguration configuration) =>
        FindReferences(configuration).Select(r => r.Target).ToList();

    /// <summary>
    /// Configuration with every reference resolved; <paramref name="configuration"/> itself when it
    /// has none (nothing is created then, which keeps a secret-free cold start as it was).
    /// </summary>
    /// <exception cref="InvalidSettingException">A reference is wrong or its secret could not be read; the message names the reference setting.</exception>
    public static async Task<IConfiguration> ResolveAsync(IConfiguration configuration, SecretsExtensionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var references = FindReferences(configuration);
        if (references.Count == 0)
        {
            return configuration;
        }

        foreach (var reference in references)
        {
            if (configuration[reference.Target] is not null)
            {
                throw new InvalidSettingException(reference.Setting, $"and {reference.Target} are both set: keep one of them (the secret reference, so the value stays out of the function's configuration).");
            }
        }

        if (string.IsNullOrEmpty(options.SessionToken))
        {
            throw new InvalidSettingException(references[0].Setting, $"cannot be read: {SecretsExtensionOptions.SessionTokenVariable} is not set, and the AWS Parameters and Secrets Lambda Extension requires it (outside Lambda, set {references[0].Target} instead).");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var http = CreateClient(options))
        {
            var fetches = references
                .GroupBy(r => r.SecretId, StringComparer.Ordinal)
                .Select(g => (Reference: g.First(), Task: FetchAsync(http, g.First(), options.ReadyTimeout, cancellationToken)))
                .ToList();
            try
            {
                await Task.WhenAll(fetches.Select(f => f.Task)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Every fetch has ended (none is left unobserved); the first failure in key order is rethrown below.
            }

            var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (reference, task) in fetches)
            {
                // Awaited in order so the reported failure does not depend on which fetch ended first.
                secrets[reference.SecretId] = await task.ConfigureAwait(false);
            }

            foreach (var reference in references)
            {
                values[reference.Target] = Extract(secrets[reference.SecretId], reference);
            }
        }

        var referenceKeys = new HashSet<string>(references.SelectMany(r => new[] { r.Setting, r.Target + JsonKeySuffix }), StringComparer.OrdinalIgnoreCase);
        var resolved = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && !referenceKeys.Contains(kv.Key))
            .Concat(values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        return new ConfigurationBuilder().AddInMemoryCollection(resolved).Build();
    }

    private static List<Reference> FindReferences(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(kv => kv.Key.EndsWith(ArnSuffix, StringComparison.OrdinalIgnoreCase) && kv.Key.Length > ArnSuffix.Length)
            .Where(kv => kv.Key[^(ArnSuffix.Length + 1)] != ':')
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv =>
            {
                var target = kv.Key[..^ArnSuffix.Length];
                if (string.IsNullOrWhiteSpace(kv.Value))
                {
                    throw new InvalidSettingException(kv.Key, "is empty: set the ARN (or name) of a Secrets Manager secret, or remove it.");
                }

                var jsonKey = configuration[target + JsonKeySuffix];
                return new Reference(kv.Key, target, kv.Value.Trim(), string.IsNullOrWhiteSpace(jsonKey) ? null : jsonKey.Trim());
            })
            .ToList();

    private static HttpClient CreateClient(SecretsExtensionOptions options)
    {
        // Lambda may set HTTP(S)_PROXY for the function's own traffic; the extension is local.
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = RequestTimeout };
        var http = new HttpClient(handler) { BaseAddress = options.Endpoint, Timeout = RequestTimeout };
        http.DefaultRequestHeaders.Add(SecretsExtensionOptions.TokenHeader, options.SessionToken);
        return http;
    }

    private static async Task<string> FetchAsync(HttpClient http, Reference reference, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var uri = new Uri("secretsmanager/get?secretId=" + Uri.EscapeDataString(reference.SecretId), UriKind.Relative);
        var readyBy = DateTimeOffset.UtcNow + readyTimeout;
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && DateTimeOffset.UtcNow < readyBy)
            {
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw Unreadable(reference, http.BaseAddress!, $"the extension did not answer ({(e is HttpRequestException h ? h.HttpRequestError.ToString() : "timed out")}); is the AWS Parameters and Secrets Lambda Extension layer attached?");
            }

            using (response)
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    // The body is not reported: it is the extension's, and never needed to act on the status.
                    throw Unreadable(reference, http.BaseAddress!, $"the extension answered HTTP {(int)response.StatusCode} ({Hint(response.StatusCode)}).");
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    using var document = JsonDocument.Parse(body);
                    return document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("SecretString", out var secret)
                        && secret.ValueKind == JsonValueKind.String
                        ? secret.GetString()!
                        : throw Unreadable(reference, http.BaseAddress!, "the answer has no SecretString (a binary secret is not supported).");
                }
                catch (JsonException)
                {
                    throw Unreadable(reference, http.BaseAddress!, "the answer is not the GetSecretValue JSON.");
                }
            }
        }
    }

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "the session token was refused",
        HttpStatusCode.NotFound => "no such secret",
        HttpStatusCode.BadRequest => "no such secret, or the function's role may not read it",
        _ => "Secrets Manager or the extension failed",
    };

    private static string Extract(string secret, Reference reference)
    {
        if (reference.JsonKey is null)
        {
            return secret;
        }

        try
        {
            using var document = JsonDocument.Parse(secret);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(reference.JsonKey, out var field)
                && field.ValueKind == JsonValueKind.String)
            {
                return field.GetString()!;
            }
        }
        catch (JsonException)
        {
            throw new InvalidSettingException(reference.Setting, $"names secret '{reference.SecretId}', which is not JSON, but {reference.Target}{JsonKeySuffix} asks for its field '{reference.JsonKey}'.");
        }

        throw new InvalidSettingException(reference.Setting, $"names secret '{reference.SecretId}', whose JSON has no string field '{reference.JsonKey}' (asked for by {reference.Target}{JsonKeySuffix}).");
    }

    private static InvalidSettingException Unreadable(Reference reference, Uri endpoint, string why) =>
        new(reference.Setting, $"names secret '{reference.SecretId}', which could not be read through {endpoint}: {why}");

    private sealed record Reference(string Setting, string Target, string SecretId, string? JsonKey);
}
