namespace EventProcessor.Activities.Tests.Support;

/// <summary>The fixed instant the activity tests date their comments, retry headers and fake clocks from.</summary>
public static class TestTimes
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
}
