using EventProcessor.Activities.Downstream;
using Temporalio.Exceptions;

namespace EventProcessor.Workflows.Common;

/// <summary>
/// Turns "not found" answers into business failures that say what is wrong in the product's
/// words ("Ticket SUP-1 has no linked platform project") instead of an HTTP status, so the
/// failed run reads well in Temporal UI and on-call knows re-running will not help.
/// </summary>
public static class BusinessFailures
{
    /// <summary>Runs <paramref name="step"/>; when it fails with <c>{api}NotFound</c>, fails the workflow with <paramref name="message"/>.</summary>
    public static async Task<T> OrFailWhenNotFoundAsync<T>(this Task<T> step, DownstreamApi api, string errorType, string message)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return await step;
        }
        catch (ActivityFailureException ex) when (ex.InnerException is ApplicationFailureException { ErrorType: { } type }
            && type == DownstreamFailure.ErrorType(api, "NotFound"))
        {
            throw Fail(errorType, $"{message} ({ex.InnerException.Message})");
        }
    }

    /// <summary>A non-retryable workflow failure with a product error type.</summary>
    public static ApplicationFailureException Fail(string errorType, string message) =>
        new(message, errorType, nonRetryable: true);
}
