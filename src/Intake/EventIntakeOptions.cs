namespace EventProcessor.Intake;

/// <summary>Limits of the HTTP intake (configuration section <c>Intake</c>).</summary>
public sealed record EventIntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>How long one request may spend starting its workflows before answering 503.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest request body: an array of up to 40 events at EventBridge's 256 KB each.</summary>
    public int MaxBodyBytes { get; init; } = 10 * 1024 * 1024;
}
