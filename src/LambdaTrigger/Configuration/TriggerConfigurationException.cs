namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>A setting is missing or wrong; <see cref="Setting"/> names it as configuration and as an environment variable.</summary>
public sealed class TriggerConfigurationException : Exception
{
    public TriggerConfigurationException(string setting, string problem)
        : base($"{setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) {problem}") =>
        Setting = setting;

    public TriggerConfigurationException()
        : this("Temporal", "is invalid")
    {
    }

    public TriggerConfigurationException(string message)
        : base(message) => Setting = string.Empty;

    public TriggerConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    /// <summary>The configuration key, e.g. <c>Temporal:Address</c>.</summary>
    public string Setting { get; }
}
