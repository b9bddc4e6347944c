using System.Web;

namespace EventProcessor.Activities.Push;

/// <summary>
/// Signs each Pusher request over its final body bytes, with the timestamp taken at send time
/// (Pusher refuses timestamps more than about ten minutes off), so a Temporal retry is signed afresh.
/// </summary>
public sealed class PusherSigningHandler(PusherOptions options, TimeProvider? time = null) : DelegatingHandler
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("A Pusher request needs an absolute URI.");
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (request.Content is not null)
        {
            // The bytes just hashed are the bytes sent: serialization does not run a second time.
            var exact = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers)
            {
                exact.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = exact;
        }

        var query = HttpUtility.ParseQueryString(uri.Query);
        var existing = query.AllKeys.Where(k => k is not null).Select(k => new KeyValuePair<string, string>(k!, query[k] ?? string.Empty));
        var signed = PusherSignature.SignedParameters(
            options.Key, options.Secret, request.Method.Method, uri.AbsolutePath, clock.GetUtcNow(), body, existing);
        request.RequestUri = new UriBuilder(uri)
        {
            Query = string.Join('&', signed.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")),
        }.Uri;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
