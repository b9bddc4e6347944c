using EventProcessor.Hosting;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Encryption;

/// <summary>
/// Reads and checks section <c>Encryption</c>:
/// <list type="bullet">
/// <item><c>Enabled</c>: <c>true</c> unless set to <c>false</c>; encryption is only ever off on purpose.</item>
/// <item><c>CurrentKeyId</c>: the id of the key new payloads are encrypted with.</item>
/// <item><c>Keys:{id}</c>: a 32-byte key as base64 (environment <c>Encryption__Keys__{id}</c>).</item>
/// <item><c>KeyFiles:{id}</c>: the path of a secret file holding a 32-byte key as base64.</item>
/// </list>
/// Keys are read one by one (no reflection binder) so each message names the exact setting and the
/// Lambda trigger's cold start stays short. Messages never contain key material.
/// </summary>
public static class EncryptionSettingsReader
{
    private const string Section = EncryptionSettings.SectionName;
    private const int MaxKeyIdLength = 64;

    public static EncryptionSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        if (!ReadEnabled(section))
        {
            return EncryptionSettings.Disabled;
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in section.GetSection("Keys").GetChildren())
            {
                var setting = $"{Section}:Keys:{entry.Key}";
                CheckKeyId(entry.Key, setting);
                keys[entry.Key] = DecodeKey(entry.Value, setting, "the key");
            }

            foreach (var entry in section.GetSection("KeyFiles").GetChildren())
            {
                var setting = $"{Section}:KeyFiles:{entry.Key}";
                CheckKeyId(entry.Key, setting);
                if (keys.ContainsKey(entry.Key))
                {
                    throw new InvalidSettingException(setting, $"gives key '{entry.Key}' a second time: it is already set by {Section}:Keys:{entry.Key}; keep one of them.");
                }

                keys[entry.Key] = DecodeKey(ReadKeyFile(entry.Value, setting), setting, $"the file '{entry.Value}'");
            }

            var current = section["CurrentKeyId"];
            if (string.IsNullOrWhiteSpace(current))
            {
                throw new InvalidSettingException($"{Section}:CurrentKeyId", keys.Count == 0
                    ? $"is required, with its key in {Section}:Keys:{{id}} (base64 of 32 random bytes) or {Section}:KeyFiles:{{id}}; or set {Section}:Enabled=false to store payloads unencrypted."
                    : $"is required: the id of the key new payloads are encrypted with, one of {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}.");
            }

            current = current.Trim();
            if (!keys.ContainsKey(current))
            {
                throw new InvalidSettingException($"{Section}:CurrentKeyId", keys.Count == 0
                    ? $"is '{current}', but no key is configured: set {Section}:Keys:{current} (base64 of 32 random bytes) or {Section}:KeyFiles:{current}."
                    : $"is '{current}', which is not among the configured keys ({string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}): set {Section}:Keys:{current} or {Section}:KeyFiles:{current}.");
            }

            return EncryptionSettings.For(new EncryptionKeyRing(current, keys));
        }
        finally
        {
            // The ring holds its own copies.
            foreach (var key in keys.Values)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    private static bool ReadEnabled(IConfigurationSection section)
    {
        var text = section["Enabled"];
        if (text is null)
        {
            return true;
        }

        return bool.TryParse(text.Trim(), out var enabled)
            ? enabled
            : throw new InvalidSettingException($"{Section}:Enabled", $"must be true or false, not '{text}'.");
    }

    private static void CheckKeyId(string id, string setting)
    {
        if (id.Length > MaxKeyIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidSettingException(setting, $"has an invalid key id: use at most {MaxKeyIdLength} letters, digits, '-', '_' or '.' (the id is stored in every payload's metadata).");
        }
    }

    private static string? ReadKeyFile(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidSettingException(setting, "is empty: set the path of a file holding the key as base64.");
        }

        try
        {
            return File.ReadAllText(path.Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidSettingException(setting, $"names '{path}', which is not a readable file ({ex.GetType().Name}).");
        }
    }

    private static byte[] DecodeKey(string? base64, string setting, string source)
    {
        if (base64 is null)
        {
            throw new InvalidSettingException(setting, "must be a base64 string, not a section.");
        }

        var text = base64.Trim();
        if (text.Length == 0)
        {
            throw new InvalidSettingException(setting, $"is empty: {source} must hold {EncryptionKeyRing.KeySize} random bytes as base64 (e.g. openssl rand -base64 32).");
        }

        if (!Base64.IsValid(text, out var length))
        {
            throw new InvalidSettingException(setting, $"is malformed: {source} is not base64; it must hold {EncryptionKeyRing.KeySize} random bytes as base64 (e.g. openssl rand -base64 32).");
        }

        if (length != EncryptionKeyRing.KeySize)
        {
            throw new InvalidSettingException(setting, $"has the wrong length: {source} decodes to {length} bytes; AES-256 needs exactly {EncryptionKeyRing.KeySize} (e.g. openssl rand -base64 32).");
        }

        return Convert.FromBase64String(text);
    }
}
