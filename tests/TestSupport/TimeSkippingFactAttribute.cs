using Xunit;

namespace EventProcessor.TestSupport;

/// <summary>
/// A test that needs time skipping (<see cref="TemporalServerFixture.TimeSkippingAsync"/>): it runs on
/// the embedded server and on a <c>TEMPORAL_ADDRESS</c> server with Temporal's TestService, and is
/// reported as skipped, with the reason, on a server without one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TimeSkippingFactAttribute : FactAttribute
{
    public TimeSkippingFactAttribute()
    {
        if (TemporalServerFixture.TimeSkippingSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
