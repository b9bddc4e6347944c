using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventProcessor.Encryption;

/// <summary>
/// Section <c>Encryption</c> as bound by the configuration-binding source generator and checked by
/// <see cref="EncryptionOptionsValidator"/>, like every other section (<see cref="SectionValidator{TOptions}"/>):
/// <list type="bullet">
/// <item><c>Enabled</c>: <c>true</c> unless set to <c>false</c>; encryption is only ever off on purpose.</item>
/// <item><c>CurrentKeyId</c>: the id of the key new payloads are encrypted with.</item>
/// <item><c>Keys:{id}</c>: a 32-byte key as base64 (environment <c>Encryption__Keys__{id}</c>).</item>
/// <item><c>KeyFiles:{id}</c>: the path of a secret file holding a 32-byte key as base64.</item>
/// </list>
/// Messages never contain key material.
/// </summary>
public sealed class EncryptionOptions : IValidatableObject
{
    public const int MaxKeyIdLength = 64;

    private const string Section = EncryptionSettings.SectionName;

    /// <summary>The generated validator of this section, reporting as every other section does.</summary>
    public static readonly SectionValidator<EncryptionOptions> Validator = new(Section, new EncryptionOptionsValidator());

    public bool Enabled { get; set; } = true;

    public string? CurrentKeyId { get; set; }

    /// <summary>Keys by id, as base64. Secret.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths of files holding a key as base64, by id.</summary>
    public Dictionary<string, string> KeyFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads and checks section <c>Encryption</c>; an absent section means encryption on with no key, which is refused.</summary>
    /// <exception cref="InvalidSettingException">A setting is wrong; the message names it and never shows a key.</exception>
    public static EncryptionSettings Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<EncryptionOptions>() ?? new EncryptionOptions()).Build();

    /// <summary>The checked settings.</summary>
    /// <exception cref="InvalidSettingException">A setting is wrong.</exception>
    public EncryptionSettings ToSettings() => Validator.ThrowIfInvalid(this).Build();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            return Collect(keys);
        }
        finally
        {
            Clear(keys);
        }
    }

    private EncryptionSettings Build()
    {
        if (!Enabled)
        {
            return EncryptionSettings.Disabled;
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            // A key file can change between the check and here; it is read once more and checked again.
            var problems = Collect(keys);
            return problems.Count == 0
                ? EncryptionSettings.For(new EncryptionKeyRing(CurrentKeyId!.Trim(), keys))
                : throw new InvalidSettingException(Validator.Check(this));
        }
        finally
        {
            // The ring holds its own copies.
            Clear(keys);
        }
    }

    /// <summary>Decodes every key into <paramref name="keys"/>; the problems found, in the order of the settings.</summary>
    private List<ValidationResult> Collect(Dictionary<string, byte[]> keys)
    {
        var problems = new List<ValidationResult>();
        if (!Enabled)
        {
            return problems;
        }

        // Ids of every key given, decodable or not, so a bad key is not reported a second time as missing.
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (id, value) in Keys)
        {
            ids.Add(id);
            if (KeyIdProblem(id, nameof(Keys)) is { } bad)
            {
                problems.Add(bad);
                continue;
            }

            var member = $"{nameof(Keys)}:{id}";
            if (DecodeKey(value, member, "the key", out var problem) is { } key)
            {
                keys[id] = key;
            }
            else
            {
                problems.Add(problem!);
            }
        }

        foreach (var (id, path) in KeyFiles)
        {
            if (KeyIdProblem(id, nameof(KeyFiles)) is { } bad)
            {
                problems.Add(bad);
                continue;
            }

            var member = $"{nameof(KeyFiles)}:{id}";
            if (!ids.Add(id))
            {
                problems.Add(new ValidationResult($"gives key '{id}' a second time: it is already set by {Section}:Keys:{id}; keep one of them.", [member]));
                continue;
            }

            if (ReadKeyFile(path, member, out var problem) is not { } text)
            {
                problems.Add(problem!);
            }
            else if (DecodeKey(text, member, $"the file '{path}'", out problem) is { } key)
            {
                keys[id] = key;
            }
            else
            {
                problems.Add(problem!);
            }
        }

        var current = CurrentKeyId?.Trim();
        if (string.IsNullOrEmpty(current))
        {
            problems.Add(new ValidationResult(ids.Count == 0
                ? $"is required, with its key in {Section}:Keys:{{id}} (base64 of 32 random bytes) or {Section}:KeyFiles:{{id}}; or set {Section}:Enabled=false to store payloads unencrypted."
                : $"is required: the id of the key new payloads are encrypted with, one of {string.Join(", ", ids)}.", [nameof(CurrentKeyId)]));
        }
        else if (!ids.Contains(current))
        {
            problems.Add(new ValidationResult(ids.Count == 0
                ? $"is '{current}', but no key is configured: set {Section}:Keys:{current} (base64 of 32 random bytes) or {Section}:KeyFiles:{current}."
                : $"is '{current}', which is not among the configured keys ({string.Join(", ", ids)}): set {Section}:Keys:{current} or {Section}:KeyFiles:{current}.", [nameof(CurrentKeyId)]));
        }

        return problems;
    }

    /// <summary>
    /// An id that cannot go in payload metadata. Such an id cannot name its setting either (a setting
    /// is named by letters, digits, '-', '_' and '.'), so the problem is reported on the dictionary, quoting the id.
    /// </summary>
    private static ValidationResult? KeyIdProblem(string id, string dictionary) =>
        id.Length > MaxKeyIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? new ValidationResult($"has an invalid key id '{id}': use at most {MaxKeyIdLength} letters, digits, '-', '_' or '.' (the id is stored in every payload's metadata).", [dictionary])
            : null;

    private static string? ReadKeyFile(string? path, string member, out ValidationResult? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            problem = new ValidationResult("is empty: set the path of a file holding the key as base64.", [member]);
            return null;
        }

        try
        {
            return File.ReadAllText(path.Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = new ValidationResult($"names '{path}', which is not a readable file ({ex.GetType().Name}).", [member]);
            return null;
        }
    }

    private static byte[]? DecodeKey(string? base64, string member, string source, out ValidationResult? problem)
    {
        problem = null;
        var text = base64?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            problem = new ValidationResult($"is empty: {source} must hold {EncryptionKeyRing.KeySize} random bytes as base64 (e.g. openssl rand -base64 32).", [member]);
            return null;
        }

        if (!Base64.IsValid(text, out var length))
        {
            problem = new ValidationResult($"is malformed: {source} is not base64; it must hold {EncryptionKeyRing.KeySize} random bytes as base64 (e.g. openssl rand -base64 32).", [member]);
            return null;
        }

        if (length != EncryptionKeyRing.KeySize)
        {
            problem = new ValidationResult($"has the wrong length: {source} decodes to {length} bytes; AES-256 needs exactly {EncryptionKeyRing.KeySize} (e.g. openssl rand -base64 32).", [member]);
            return null;
        }

        return Convert.FromBase64String(text);
    }

    private static void Clear(Dictionary<string, byte[]> keys)
    {
        foreach (var key in keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Never shows a key.</summary>
    public override string ToString() => $"Encryption {(Enabled ? "on" : "off")}, current '{CurrentKeyId}', ids [{string.Join(", ", Keys.Keys.Concat(KeyFiles.Keys))}]";
}

/// <summary>Written by the options-validation source generator from <see cref="EncryptionOptions"/>.</summary>
[OptionsValidator]
public sealed partial class EncryptionOptionsValidator : IValidateOptions<EncryptionOptions>;
