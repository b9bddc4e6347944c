using System.Net;
using System.Text;
using System.Text.Json;
using EventProcessor.Cli.Runs;

namespace EventProcessor.Cli.Events;

/// <summary>
/// The trigger's local intake, <c>POST /events</c>: one request per event so each is reported on
/// its own (202 started or duplicate, 400 rejected, 503 Temporal unavailable and safe to resend).
/// </summary>
internal sealed class IntakeSink(HttpClient http, Uri endpoint, Pacer pacer) : IEventSink
{
    public string Name => $"intake {endpoint}";

    public static Uri EventsEndpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--intake '{url}' is not an http(s) URL (e.g. http://localhost:5050).");
        }

        return uri.AbsolutePath is "/" or "" ? new Uri(uri, "/events") : uri;
    }

    public async Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<EventItem> events, CancellationToken cancellationToken)
    {
        var results = new List<SendResult>(events.Count);
        foreach (var item in events)
        {
            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var content = new StringContent(item.RawJson, Encoding.UTF8, "application/json");
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                results.Add(new SendResult(item, false, $"intake unreachable, safe to resend: {e.Message}"));
                continue;
            }

            using var _ = response;
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            results.Add(response.StatusCode switch
            {
                HttpStatusCode.Accepted => new SendResult(item, true, $"accepted: {Started(body) ?? item.Parsed?.WorkflowId}"),
                HttpStatusCode.BadRequest => new SendResult(item, false, $"rejected by the intake: {Error(body)}"),
                HttpStatusCode.ServiceUnavailable => new SendResult(item, false, $"Temporal unavailable (503), safe to resend: {Error(body)}"),
                _ => new SendResult(item, false, $"intake answered {(int)response.StatusCode}: {Error(body)}"),
            });
        }

        return results;
    }

    private static string? Started(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var run = document.RootElement.GetProperty("workflows")[0];
            var duplicate = run.TryGetProperty("duplicate", out var d) && d.ValueKind == JsonValueKind.True;
            return $"{run.GetProperty("workflowId").GetString()}{(duplicate ? " (already started)" : " started")}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static string Error(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
            if (root.TryGetProperty("rejected", out var rejected) && rejected.ValueKind == JsonValueKind.Array)
            {
                var messages = rejected.EnumerateArray().Select(r => r.TryGetProperty("message", out var m) ? m.GetString() : null).Where(m => m is not null);
                error = string.Join("; ", messages.Prepend(error).Where(m => m is not null));
            }

            return error ?? body;
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
