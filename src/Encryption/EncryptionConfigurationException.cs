namespace EventProcessor.Encryption;

/// <summary>
/// A setting of section <c>Encryption</c> is missing or wrong. The message names the setting as
/// configuration key and as environment variable, and never contains key material.
/// </summary>
public sealed class EncryptionConfigurationException : Exception
{
    public EncryptionConfigurationException(string setting, string problem)
        : base($"{setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) {problem}") =>
        Setting = setting;

    public EncryptionConfigurationException()
        : this(EncryptionSettings.SectionName, "is invalid")
    {
    }

    public EncryptionConfigurationException(string message)
        : base(message) => Setting = string.Empty;

    public EncryptionConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    /// <summary>The configuration key at fault, e.g. <c>Encryption:Keys:2026-11</c>.</summary>
    public string Setting { get; }
}
