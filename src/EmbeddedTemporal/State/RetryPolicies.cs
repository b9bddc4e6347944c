using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>Server-side retry decisions for activities, as a real server makes them.</summary>
internal static class RetryPolicies
{
    /// <summary>Fills the defaults a real server fills: initial 1 s, coefficient 2, maximum 100 x initial.</summary>
    public static RetryPolicy WithDefaults(RetryPolicy? policy)
    {
        var result = policy?.Clone() ?? new RetryPolicy();
        if (result.InitialInterval is null || result.InitialInterval.ToTimeSpan() <= TimeSpan.Zero)
        {
            result.InitialInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));
        }

        if (result.BackoffCoefficient <= 0)
        {
            result.BackoffCoefficient = 2.0;
        }

        if (result.MaximumInterval is null || result.MaximumInterval.ToTimeSpan() <= TimeSpan.Zero)
        {
            result.MaximumInterval = Duration.FromTimeSpan(result.InitialInterval.ToTimeSpan() * 100);
        }

        return result;
    }

    /// <summary>Null when the policy is invalid, else the validation error message.</summary>
    public static string? Validate(RetryPolicy? policy)
    {
        if (policy is null)
        {
            return null;
        }

        if (policy.BackoffCoefficient != 0 && policy.BackoffCoefficient < 1)
        {
            return "BackoffCoefficient cannot be less than 1.";
        }

        if (policy.MaximumAttempts < 0)
        {
            return "MaximumAttempts cannot be negative.";
        }

        if (policy.InitialInterval is { } initial && policy.MaximumInterval is { } maximum
            && maximum.ToTimeSpan() > TimeSpan.Zero && maximum.ToTimeSpan() < initial.ToTimeSpan())
        {
            return "MaximumInterval cannot be less than InitialInterval on retry policy.";
        }

        return null;
    }

    /// <summary>
    /// Decides whether a failed attempt is retried: <see cref="RetryState.InProgress"/> with the
    /// backoff, or the reason it is not. <paramref name="delayReplacesMaximum"/> is true for
    /// activities, false for workflow retries.
    /// </summary>
    public static RetryState Evaluate(
        RetryPolicy policy,
        int attempt,
        Failure failure,
        DateTimeOffset now,
        DateTimeOffset? deadline,
        out TimeSpan backoff,
        bool delayReplacesMaximum = true)
    {
        backoff = TimeSpan.Zero;
        if (failure.ApplicationFailureInfo is { NonRetryable: true })
        {
            return RetryState.NonRetryableFailure;
        }

        if (failure.TimeoutFailureInfo is { } timeout && timeout.TimeoutType is not (TimeoutType.StartToClose or TimeoutType.Heartbeat))
        {
            return RetryState.NonRetryableFailure;
        }

        var errorType = failure.ApplicationFailureInfo?.Type
            ?? (failure.TimeoutFailureInfo is { } t ? "TemporalTimeout:" + TimeoutName(t.TimeoutType) : null);
        if (errorType is not null && policy.NonRetryableErrorTypes.Contains(errorType))
        {
            return RetryState.NonRetryableFailure;
        }

        if (policy.MaximumAttempts > 0 && attempt >= policy.MaximumAttempts)
        {
            return RetryState.MaximumAttemptsReached;
        }

        // As the server's RetryActivity (service/history/workflow/mutable_state_impl.go): a delay the
        // application gives replaces both the computed interval and the policy's maximum interval,
        // then nextBackoffInterval (service/history/workflow/retry.go) applies. A zero delay is thus
        // an interval of 0 with a maximum of 0, which ends the retries with RETRY_STATE_TIMEOUT; a
        // positive one is used as is, however long. Workflow retries (getBackoffInterval in retry.go)
        // take the delay as the interval but keep the policy's maximum.
        var maximum = policy.MaximumInterval.ToTimeSpan();
        TimeSpan interval;
        if (failure.ApplicationFailureInfo?.NextRetryDelay is { } nextRetryDelay)
        {
            interval = nextRetryDelay.ToTimeSpan();
            if (delayReplacesMaximum)
            {
                maximum = interval;
            }
        }
        else
        {
            var seconds = policy.InitialInterval.ToTimeSpan().TotalSeconds * Math.Pow(policy.BackoffCoefficient, attempt - 1);
            interval = double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
        }

        if (maximum == TimeSpan.Zero && interval <= TimeSpan.Zero)
        {
            return RetryState.Timeout;
        }

        if (maximum != TimeSpan.Zero && (interval <= TimeSpan.Zero || interval > maximum))
        {
            interval = maximum;
        }

        backoff = interval < TimeSpan.Zero ? TimeSpan.Zero : interval;

        // The next attempt must start by the retry expiration (schedule time + schedule-to-close);
        // the server refuses only a start strictly after it.
        if (deadline is { } d && backoff > d - now)
        {
            backoff = TimeSpan.Zero;
            return RetryState.Timeout;
        }

        return RetryState.InProgress;
    }

    public static string TimeoutName(TimeoutType type) => type switch
    {
        TimeoutType.StartToClose => "StartToClose",
        TimeoutType.ScheduleToStart => "ScheduleToStart",
        TimeoutType.ScheduleToClose => "ScheduleToClose",
        TimeoutType.Heartbeat => "Heartbeat",
        _ => "Unspecified",
    };
}
