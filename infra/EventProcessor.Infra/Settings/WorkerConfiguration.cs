namespace EventProcessor.Infra;

/// <summary>
/// The worker's configuration keys, in the <c>Section__Key</c> form .NET reads from environment
/// variables.
/// </summary>
internal static class WorkerConfiguration
{
    public const string TemporalAddress = "Temporal__Address";
    public const string TemporalNamespace = "Temporal__Namespace";
    public const string TemporalTaskQueue = "Temporal__TaskQueue";
    public const string TemporalTls = "Temporal__Tls";
    public const string TemporalApiKey = "Temporal__ApiKey";

    /// <summary>
    /// The trigger gets the ARN rather than the value: a Lambda environment variable holding the
    /// key would be readable by anyone allowed to read the function's configuration.
    /// </summary>
    public const string TemporalApiKeySecretArn = "Temporal__ApiKeySecretArn";

    public const string TemporalApiKeySecretJsonKey = "Temporal__ApiKeySecretJsonKey";

    public const string EncryptionPrefix = "Encryption__";
    public const string EncryptionEnabled = "Encryption__Enabled";
    public const string EncryptionCurrentKeyId = "Encryption__CurrentKeyId";
    public const string EncryptionKeysPrefix = "Encryption__Keys__";
    public const string EncryptionKeyFilesPrefix = "Encryption__KeyFiles__";

    /// <summary>Sections whose every key is key material.</summary>
    private static readonly string[] SecretSections = ["Encryption"];

    private static readonly string[] SecretSuffixes = ["apikey", "token", "secret", "password", "key", "keys"];

    /// <summary>Keys the stack sets itself from <see cref="TemporalSettings"/>.</summary>
    public static IEnumerable<string> ReservedKeys(TemporalSettings temporal)
    {
        yield return TemporalAddress;
        yield return TemporalNamespace;
        yield return TemporalTaskQueue;
        yield return TemporalTls;
        if (temporal.ApiKey is not null)
        {
            yield return TemporalApiKey;
        }
    }

    /// <summary>
    /// A name-based guard: it cannot know a value is secret, but it stops the usual mistake of
    /// putting <c>Jira__ApiToken</c> in plain text.
    /// </summary>
    public static bool LooksSecret(string key)
    {
        var segments = key.Split("__", StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 0 && SecretSections.Contains(segments[0], StringComparer.OrdinalIgnoreCase)
            || segments.Any(segment => SecretSuffixes.Any(suffix => segment.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)));
    }
}
