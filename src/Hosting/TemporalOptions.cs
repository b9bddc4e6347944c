using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventProcessor.Hosting;

/// <summary>
/// Configuration section <c>Temporal</c> as bound by the configuration-binding source generator
/// and checked by <see cref="TemporalOptionsValidator"/>; hosts use the <see cref="TemporalSettings"/> it gives.
/// </summary>
public sealed class TemporalOptions : IValidatableObject
{
    [Required(ErrorMessage = "is required: the host:port of the Temporal frontend, e.g. my-namespace.a1b2c.tmprl.cloud:7233.")]
    public string? Address { get; set; }

    public string? Namespace { get; set; }

    public string? TaskQueue { get; set; }

    /// <summary>Temporal Cloud API key; set but blank is an error rather than "no key".</summary>
    public string? ApiKey { get; set; }

    public TemporalTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Reads and checks section <c>Temporal</c>.
    /// </summary>
    /// <exception cref="InvalidSettingException">A setting is missing or wrong; the message names it.</exception>
    public static TemporalSettings Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<TemporalOptions>() ?? new TemporalOptions()).ToSettings();

    /// <summary>The generated validator of this section, reporting as every other section does.</summary>
    public static readonly SectionValidator<TemporalOptions> Validator = new(TemporalSettings.SectionName, new TemporalOptionsValidator());

    /// <summary>The checked settings; blank namespace and task queue take their defaults.</summary>
    public TemporalSettings ToSettings()
    {
        var ca = Trimmed(Tls.CaPath);
        var cert = Trimmed(Tls.ClientCertPath);
        var key = Trimmed(Tls.ClientKeyPath);
        return new TemporalSettings(
            Trimmed(Address) ?? throw new InvalidOperationException("Validate the options before using them."),
            Trimmed(Namespace) ?? TemporalSettings.DefaultNamespace,
            Trimmed(TaskQueue) ?? TemporalSettings.DefaultTaskQueue,
            ApiKey,
            ca is null && cert is null ? TemporalTlsSettings.None : new TemporalTlsSettings(ca, cert, key));
    }

    /// <summary>The checks the attributes cannot express; member names are paths inside the section.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Trimmed(Address) is { } address && !IsHostAndPort(address))
        {
            yield return new ValidationResult($"must be host:port without a scheme, not '{address}'.", [nameof(Address)]);
        }

        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult("is empty: remove it, or set the Temporal Cloud API key.", [nameof(ApiKey)]);
        }

        foreach (var (key, path) in new[] { ("CaPath", Tls.CaPath), ("ClientCertPath", Tls.ClientCertPath), ("ClientKeyPath", Tls.ClientKeyPath) })
        {
            if (Trimmed(path) is { } file && !File.Exists(file))
            {
                yield return new ValidationResult($"names '{file}', which is not a readable file.", [$"Tls:{key}"]);
            }
        }

        var hasCert = Trimmed(Tls.ClientCertPath) is not null;
        var hasKey = Trimmed(Tls.ClientKeyPath) is not null;
        if (hasCert && !hasKey)
        {
            yield return new ValidationResult("is required when Temporal:Tls:ClientCertPath is set (mTLS needs both).", ["Tls:ClientKeyPath"]);
        }

        if (hasKey && !hasCert)
        {
            yield return new ValidationResult("is required when Temporal:Tls:ClientKeyPath is set (mTLS needs both).", ["Tls:ClientCertPath"]);
        }
    }

    private static bool IsHostAndPort(string address)
    {
        var colon = address.LastIndexOf(':');
        return !address.Contains("://", StringComparison.Ordinal) && colon > 0
            && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Section <c>Temporal:Tls</c>: paths of the PEM files for TLS or mTLS; all optional.</summary>
public sealed class TemporalTlsOptions
{
    public string? CaPath { get; set; }

    public string? ClientCertPath { get; set; }

    public string? ClientKeyPath { get; set; }
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="TemporalOptions"/>.</summary>
[OptionsValidator]
public sealed partial class TemporalOptionsValidator : IValidateOptions<TemporalOptions>;
