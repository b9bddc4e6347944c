namespace EventProcessor.Activities.Downstream;

/// <summary>
/// Per-request facts the failure mapping needs: a readable operation ("fetch watchers of SUP-1234")
/// and statuses the caller handles itself (e.g. a lookup's 404 meaning "not there yet").
/// Refit interfaces pass the operation with <c>[Property(DownstreamRequest.OperationKey)]</c>.
/// </summary>
public static class DownstreamRequest
{
    public const string OperationKey = "EventProcessor.Operation";

    /// <summary>
    /// Key of the statuses the caller handles itself. Refit interfaces pass them with
    /// <c>[Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses</c> and return <c>ApiResponse&lt;T&gt;</c>.
    /// </summary>
    public const string AllowedStatusesKey = "EventProcessor.AllowedStatuses";

    private static readonly HttpRequestOptionsKey<string> Operation = new(OperationKey);
    private static readonly HttpRequestOptionsKey<int[]> Allowed = new("EventProcessor.AllowedStatuses");

    public static HttpRequestMessage Describe(this HttpRequestMessage request, string operation)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(Operation, operation);
        return request;
    }

    public static HttpRequestMessage AllowStatus(this HttpRequestMessage request, params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(Allowed, statuses);
        return request;
    }

    /// <summary>The described operation, else method and path (never the query string: it may carry signatures).</summary>
    public static string OperationOf(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(Operation, out var operation) && !string.IsNullOrEmpty(operation))
        {
            return operation;
        }

        // Refit stores [Property] values in Options under the same key as an object.
        if (((IDictionary<string, object?>)request.Options).TryGetValue(OperationKey, out var raw) && raw is string text && text.Length > 0)
        {
            return text;
        }

        return $"{request.Method} {request.RequestUri?.AbsolutePath}";
    }

    public static bool IsAllowed(HttpRequestMessage request, int status) =>
        request.Options.TryGetValue(Allowed, out var statuses) && statuses.Contains(status);
}
