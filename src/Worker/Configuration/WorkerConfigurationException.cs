namespace EventProcessor.Worker.Configuration;

/// <summary>A <c>Worker:*</c> setting is wrong; the message names it as configuration key and as environment variable.</summary>
public sealed class WorkerConfigurationException : Exception
{
    public WorkerConfigurationException(string setting, string problem)
        : base($"{setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) {problem}") =>
        Setting = setting;

    public WorkerConfigurationException()
        : this("Worker", "is invalid")
    {
    }

    public WorkerConfigurationException(string message)
        : base(message) => Setting = string.Empty;

    public WorkerConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    /// <summary>The configuration key, e.g. <c>Worker:MaxConcurrentActivities</c>.</summary>
    public string Setting { get; }
}
