using System.Text;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>Paths of the PEM files for TLS or mTLS to the Temporal frontend; all optional.</summary>
public sealed record TemporalTlsSettings(string? CaPath, string? ClientCertPath, string? ClientKeyPath)
{
    public static TemporalTlsSettings None { get; } = new(null, null, null);

    public bool IsConfigured => CaPath is not null || ClientCertPath is not null;
}

/// <summary>
/// Configuration section <c>Temporal</c>, validated. Read with <see cref="TemporalSettingsReader"/>
/// so a misconfiguration fails at init, naming the setting, rather than at the first event.
/// </summary>
public sealed record TemporalSettings(
    string Address,
    string Namespace,
    string TaskQueue,
    string? ApiKey,
    TemporalTlsSettings Tls,
    TimeSpan StartMargin)
{
    public const string SectionName = "Temporal";

    public const string DefaultNamespace = "default";

    public const string DefaultTaskQueue = "event-processor";

    /// <summary>Time kept back from the invocation deadline so the error can still be reported in time.</summary>
    public static readonly TimeSpan DefaultStartMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>Temporal Cloud's API keys only work over TLS, so a key implies TLS.</summary>
    public bool UsesTls => ApiKey is not null || Tls.IsConfigured;

    // The compiler-generated ToString would print the API key into any log that formats the settings.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Address = {Address}, Namespace = {Namespace}, TaskQueue = {TaskQueue}, ");
        builder.Append($"ApiKey = {(ApiKey is null ? "(none)" : "(set)")}, Tls = {Tls}, StartMargin = {StartMargin}");
        return true;
    }
}
