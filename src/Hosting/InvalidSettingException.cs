namespace EventProcessor.Hosting;

/// <summary>A setting is missing or wrong; <see cref="Setting"/> names it as configuration and as an environment variable.</summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException(string setting, string problem)
        : base($"{setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) {problem}") =>
        Setting = setting;

    public InvalidSettingException()
        : this("Temporal", "is invalid")
    {
    }

    public InvalidSettingException(string message)
        : base(message) => Setting = string.Empty;

    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    /// <summary>The configuration key, e.g. <c>Temporal:Address</c>.</summary>
    public string Setting { get; }
}
