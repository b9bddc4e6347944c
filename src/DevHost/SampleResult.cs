namespace EventProcessor.DevHost;

/// <summary>How one sample ended.</summary>
public enum SampleStatus
{
    Completed,
    Failed,
    TimedOut,
    Rejected,
    NotRegistered,
}

/// <summary>One row of the table: the sample, its run, and the downstream requests it caused (by API).</summary>
public sealed record SampleResult(
    string DetailType,
    string? WorkflowId,
    SampleStatus Status,
    string? Error,
    IReadOnlyDictionary<string, int> DownstreamCalls,
    TimeSpan Duration)
{
    public int TotalDownstreamCalls => DownstreamCalls.Values.Sum();
}
