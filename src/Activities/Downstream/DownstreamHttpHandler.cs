using System.Diagnostics.Metrics;
using System.Globalization;

namespace EventProcessor.Activities.Downstream;

/// <summary>
/// The one place where HTTP outcomes become Temporal failures, for every HTTP client of the product.
/// It owns the per-call timeout (so a timeout is told apart from a cancelled activity), maps
/// 408/429/5xx, timeouts and connection failures to retryable failures carrying the server's
/// requested delay, and every other 4xx to a non-retryable failure whose message names the API,
/// the operation and the API's own explanation. It never retries by itself: Temporal does.
/// </summary>
public sealed class DownstreamHttpHandler : DelegatingHandler
{
    /// <summary>The product's meter; the worker exports it to Prometheus.</summary>
    public const string MeterName = "EventProcessor";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "eventprocessor.downstream.calls", description: "Downstream HTTP calls by API and status (or 'timeout' / 'unreachable').");

    private readonly DownstreamApi api;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;
    private readonly TimeZoneInfo? accountTimeZone;

    public DownstreamHttpHandler(DownstreamApi api, TimeSpan timeout, TimeProvider? time = null, TimeZoneInfo? accountTimeZone = null)
    {
        this.api = api;
        this.timeout = timeout;
        this.time = time ?? TimeProvider.System;
        this.accountTimeZone = accountTimeZone;
    }

    /// <summary>Statuses Temporal should retry for this API (each vendor's documented transient statuses).</summary>
    public static bool IsRetryable(DownstreamApi api, int status) =>
        status is 408 or 429 or >= 500 || (api == DownstreamApi.HubSpot && status is 423 or 477);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = DownstreamRequest.OperationOf(request);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Record("timeout");
            throw DownstreamFailure.Retryable(api, "Timeout",
                $"{api} did not answer within {timeout.TotalSeconds:0.#} s ({operation}); Temporal will retry.");
        }
        catch (HttpRequestException ex)
        {
            Record("unreachable");
            throw DownstreamFailure.Retryable(api, "Unreachable",
                $"{api} could not be reached ({operation}): {ex.Message}; Temporal will retry.");
        }

        var status = (int)response.StatusCode;
        Record(status.ToString(CultureInfo.InvariantCulture));
        if (response.IsSuccessStatusCode || DownstreamRequest.IsAllowed(request, status))
        {
            return response;
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var apiMessage = ApiErrorMessage.Extract(body);
            var explanation = apiMessage is null ? string.Empty : $": {apiMessage}";
            var kind = DownstreamFailure.KindOf(status);
            if (IsRetryable(api, status))
            {
                var delay = RetryDelay.From(api, status, response.Headers, body, time.GetUtcNow(), accountTimeZone);
                var wait = delay is { } d ? $"; Temporal will retry after {d.TotalSeconds:0.#} s" : "; Temporal will retry";
                throw DownstreamFailure.Retryable(api, kind, $"{api} answered {status} {response.ReasonPhrase} to {operation}{explanation}{wait}.", delay);
            }

            throw DownstreamFailure.Permanent(api, kind, $"{api} answered {status} {response.ReasonPhrase} to {operation}{explanation}{Hint(status)}");
        }
    }

    private static string Hint(int status) => status switch
    {
        401 => " (the configured credentials were refused: check the secret).",
        403 => " (the configured account lacks permission for this).",
        404 => " (it does not exist, or the account cannot see it).",
        _ => ".",
    };

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private void Record(string status) =>
        Calls.Add(1, new KeyValuePair<string, object?>("api", api.ToString()), new KeyValuePair<string, object?>("status", status));
}
