using System.Net.Http.Headers;

namespace EventProcessor.Activities.Algolia;

/// <summary>
/// Algolia's documented retry strategy for hosts: when the main host cannot be connected to (DNS or
/// connection failure), the same request goes to the fallback hosts, in random order, within the
/// same call. It is host fallback only: an answer of any status, a timeout or a cancellation is
/// passed on as it is, and retrying belongs to Temporal (this handler sits inside
/// <see cref="Downstream.DownstreamHttpHandler"/>, whose per-call timeout covers every host tried).
/// </summary>
public sealed class AlgoliaHostFallbackHandler(IReadOnlyList<Uri> fallbacks) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (fallbacks.Count == 0)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // The body is read once so every host gets the same bytes.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentHeaders = request.Content?.Headers.ToList() ?? [];
        var hosts = fallbacks.ToArray();
        Random.Shared.Shuffle(hosts);
        var attempt = request;
        for (var next = 0; ; next++)
        {
            try
            {
                return await base.SendAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (IsConnectionFailure(e) && next < hosts.Length)
            {
                attempt = CopyTo(request, hosts[next], body, contentHeaders);
            }
        }
    }

    /// <summary>Nothing was sent: the host's name did not resolve or no connection was made.</summary>
    internal static bool IsConnectionFailure(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;

    private static HttpRequestMessage CopyTo(HttpRequestMessage original, Uri host, byte[]? body, List<KeyValuePair<string, IEnumerable<string>>> contentHeaders)
    {
        var uri = new UriBuilder(original.RequestUri!) { Scheme = host.Scheme, Host = host.Host, Port = host.Port }.Uri;
        var copy = new HttpRequestMessage(original.Method, uri) { Version = original.Version, VersionPolicy = original.VersionPolicy };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in original.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in contentHeaders)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
