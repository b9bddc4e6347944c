using System.Text.Json;
using Refit;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.Downstream;

/// <summary>
/// Refit settings for downstream clients. Refit 16 wraps any exception a handler throws in an
/// <see cref="ApiRequestException"/>; the Temporal failures raised by <see cref="DownstreamHttpHandler"/>
/// must reach Temporal unwrapped (their error type, retryability and next retry delay drive the
/// retries), so they pass through and everything else keeps Refit's default treatment.
/// </summary>
public static class DownstreamRefitSettings
{
    public static RefitSettings Create(JsonSerializerOptions json, bool buffered = true)
    {
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(json)) { Buffered = buffered };
        settings.TransportExceptionFactory = (request, exception, cancellationToken) => exception switch
        {
            ApplicationFailureException => exception,
            OperationCanceledException when cancellationToken.IsCancellationRequested => exception,
            _ => new ApiRequestException(request, request.Method, settings, exception),
        };
        return settings;
    }
}
