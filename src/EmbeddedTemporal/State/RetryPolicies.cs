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
    /// backoff, or the reason it is not.
    /// </summary>
    public static RetryState Evaluate(
        RetryPolicy policy,
        int attempt,
        Failure failure,
        DateTimeOffset now,
        DateTimeOffset? deadline,
        out TimeSpan backoff)
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

        if (failure.ApplicationFailureInfo?.NextRetryDelay is { } nextRetryDelay && nextRetryDelay.ToTimeSpan() > TimeSpan.Zero)
        {
            backoff = nextRetryDelay.ToTimeSpan();
        }
        else
        {
            var initial = policy.InitialInterval.ToTimeSpan();
            var seconds = initial.TotalSeconds * Math.Pow(policy.BackoffCoefficient, attempt - 1);
            var maximum = policy.MaximumInterval.ToTimeSpan();
            backoff = seconds >= maximum.TotalSeconds ? maximum : TimeSpan.FromSeconds(seconds);
        }

        if (deadline is { } d && now + backoff >= d)
        {
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
