using System.Text.Json;

namespace EventProcessor.Infra;

/// <summary>
/// Reads <c>{env}.json</c> and applies the few CDK context values a pipeline sets per run (the
/// image tag it just pushed, where it published the trigger).
/// </summary>
internal static class SettingsLoader
{
    /// <summary>Context keys that override the file.</summary>
    public const string EnvironmentKey = "env";
    public const string TriggerCodePathKey = "triggerCodePath";
    public const string WorkerImageTagKey = "workerImageTag";
    public const string WorkerImageUriKey = "workerImageUri";
    public const string AccountKey = "account";
    public const string RegionKey = "region";
    public const string CodecServerImageTagKey = "codecServerImageTag";
    public const string CodecServerCertificateArnKey = "codecServerCertificateArn";

    /// <summary>Where <c>dotnet publish src/LambdaTrigger ... -o</c> puts the trigger, from the repository root.</summary>
    public const string DefaultTriggerCodePath = "artifacts/trigger";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt setting would otherwise silently fall back to its default.
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static DeploymentSettings Load(string environmentsDirectory, string environmentName, Func<string, string?> context, string currentDirectory)
    {
        var path = Path.Combine(environmentsDirectory, $"{environmentName}.json");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(environmentsDirectory)
                ? string.Join(", ", Directory.GetFiles(environmentsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                : "none";
            throw new FileNotFoundException($"No settings for environment '{environmentName}' at {path} (known: {known}).", path);
        }

        var settings = Parse(File.ReadAllText(path), path) with { EnvironmentName = environmentName };
        return ApplyOverrides(settings, context, currentDirectory);
    }

    public static DeploymentSettings Parse(string json, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize<DeploymentSettings>(json, Json)
                ?? throw new InvalidOperationException($"{origin} holds no settings.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{origin}: {e.Message}", e);
        }
    }

    public static DeploymentSettings ApplyOverrides(DeploymentSettings settings, Func<string, string?> context, string currentDirectory)
    {
        var codePath = context(TriggerCodePathKey) ?? settings.Trigger.CodePath;
        var imageTag = context(WorkerImageTagKey);
        var imageUri = context(WorkerImageUriKey);
        return settings with
        {
            Account = context(AccountKey) ?? settings.Account,
            Region = context(RegionKey) ?? settings.Region,
            Trigger = settings.Trigger with { CodePath = ResolveCodePath(codePath, currentDirectory) },
            Worker = settings.Worker with
            {
                ImageTag = imageTag ?? settings.Worker.ImageTag,
                ImageUri = imageUri ?? settings.Worker.ImageUri,
                ImageRepository = imageUri is null ? settings.Worker.ImageRepository : null,
            },
            CodecServer = settings.CodecServer is not { } codec ? null : codec with
            {
                ImageTag = context(CodecServerImageTagKey) ?? codec.ImageTag,
                CertificateArn = context(CodecServerCertificateArnKey) ?? codec.CertificateArn,
            },
        };
    }

    /// <summary>
    /// A relative path is taken from the current directory; none at all means the repository's
    /// <c>artifacts/trigger</c>, found by walking up to the solution file so that both
    /// <c>cdk synth</c> (run in <c>infra/</c>) and <c>dotnet run</c> from the root find it.
    /// </summary>
    public static string ResolveCodePath(string? configured, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, currentDirectory);
        }

        for (var dir = new DirectoryInfo(currentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventProcessor.sln")))
            {
                return Path.Combine(dir.FullName, DefaultTriggerCodePath);
            }
        }

        return Path.GetFullPath(DefaultTriggerCodePath, currentDirectory);
    }
}
