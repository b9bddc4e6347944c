using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Hosting;

/// <summary>
/// Reads and checks section <c>Temporal</c>. Keys are read one by one (no reflection binder):
/// it keeps the Lambda's cold start short and lets every message name the exact setting.
/// </summary>
public static class TemporalSettingsReader
{
    private const string Section = TemporalSettings.SectionName;

    public static TemporalSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);

        var address = Optional(section, "Address")
            ?? throw new InvalidSettingException($"{Section}:Address", "is required: the host:port of the Temporal frontend, e.g. my-namespace.a1b2c.tmprl.cloud:7233.");
        CheckAddress(address);

        var ns = Optional(section, "Namespace") ?? TemporalSettings.DefaultNamespace;
        var taskQueue = Optional(section, "TaskQueue") ?? TemporalSettings.DefaultTaskQueue;
        var apiKey = section["ApiKey"];
        if (apiKey is not null && string.IsNullOrWhiteSpace(apiKey))
        {
            throw new InvalidSettingException($"{Section}:ApiKey", "is empty: remove it, or set the Temporal Cloud API key.");
        }

        var tls = ReadTls(section.GetSection("Tls"));
        return new TemporalSettings(address, ns, taskQueue, apiKey, tls);
    }

    private static void CheckAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        if (address.Contains("://", StringComparison.Ordinal) || colon <= 0
            || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new InvalidSettingException($"{Section}:Address", $"must be host:port without a scheme, not '{address}'.");
        }
    }

    private static TemporalTlsSettings ReadTls(IConfigurationSection tls)
    {
        var ca = ExistingFile(tls, "CaPath");
        var cert = ExistingFile(tls, "ClientCertPath");
        var key = ExistingFile(tls, "ClientKeyPath");
        if (cert is not null && key is null)
        {
            throw new InvalidSettingException($"{Section}:Tls:ClientKeyPath", "is required when Temporal:Tls:ClientCertPath is set (mTLS needs both).");
        }

        if (key is not null && cert is null)
        {
            throw new InvalidSettingException($"{Section}:Tls:ClientCertPath", "is required when Temporal:Tls:ClientKeyPath is set (mTLS needs both).");
        }

        return ca is null && cert is null ? TemporalTlsSettings.None : new TemporalTlsSettings(ca, cert, key);
    }

    private static string? ExistingFile(IConfigurationSection tls, string key)
    {
        var path = Optional(tls, key);
        return path is null || File.Exists(path)
            ? path
            : throw new InvalidSettingException($"{Section}:Tls:{key}", $"names '{path}', which is not a readable file.");
    }

    private static string? Optional(IConfigurationSection section, string key)
    {
        var value = section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
