namespace EventProcessor.CodecServer;

/// <summary>A setting of section <c>CodecServer</c> is missing or wrong; the message names it as configuration key and as environment variable, never a secret.</summary>
public sealed class CodecServerConfigurationException : Exception
{
    public CodecServerConfigurationException(string setting, string problem)
        : base($"{setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) {problem}") =>
        Setting = setting;

    public CodecServerConfigurationException()
        : this(CodecServerSettings.SectionName, "is invalid")
    {
    }

    public CodecServerConfigurationException(string message)
        : base(message) => Setting = string.Empty;

    public CodecServerConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    public string Setting { get; }
}
