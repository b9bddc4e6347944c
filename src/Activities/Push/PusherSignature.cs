using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventProcessor.Activities.Push;

/// <summary>
/// Pusher's request signature (HTTP API "authentication"): query parameters <c>auth_key</c>,
/// <c>auth_timestamp</c>, <c>auth_version=1.0</c>, <c>body_md5</c> and <c>auth_signature</c>, the
/// hex HMAC-SHA256 (keyed by the app secret) of <c>"{METHOD}\n{path}\n{query}"</c>, where the query
/// holds every other parameter, keys lowercased, sorted by key, joined <c>k=v&amp;…</c>, unescaped.
/// </summary>
public static class PusherSignature
{
    public const string AuthVersion = "1.0";

    /// <summary>Lowercase hex MD5 of the exact body bytes.</summary>
    public static string BodyMd5(ReadOnlySpan<byte> body)
    {
#pragma warning disable CA5351 // Pusher's protocol fixes MD5 as a body checksum; the HMAC carries the security.
        return Convert.ToHexStringLower(MD5.HashData(body));
#pragma warning restore CA5351
    }

    /// <summary>The parameters to add to a request's query string, <c>auth_signature</c> last.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SignedParameters(
        string key, string secret, string method, string path, DateTimeOffset now, ReadOnlySpan<byte> body,
        IEnumerable<KeyValuePair<string, string>>? otherParameters = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parameters = new List<KeyValuePair<string, string>>(otherParameters ?? [])
        {
            new("auth_key", key),
            new("auth_timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new("auth_version", AuthVersion),
            new("body_md5", BodyMd5(body)),
        };
        parameters.Add(new("auth_signature", Sign(secret, method, path, parameters)));
        return parameters;
    }

    /// <summary>Hex HMAC-SHA256 of the string to sign built from <paramref name="parameters"/> (any <c>auth_signature</c> among them is left out).</summary>
    public static string Sign(string secret, string method, string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(method);
        var query = string.Join('&', parameters
            .Select(p => new KeyValuePair<string, string>(p.Key.ToLowerInvariant(), p.Value))
            .Where(p => p.Key != "auth_signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        var toSign = $"{method.ToUpperInvariant()}\n{path}\n{query}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(toSign)));
    }
}
