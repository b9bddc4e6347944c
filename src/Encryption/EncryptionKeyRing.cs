using System.Diagnostics.CodeAnalysis;

namespace EventProcessor.Encryption;

/// <summary>
/// The AES-256 keys by id: the current one encrypts, every one (current and retired) decrypts.
/// Retired keys must stay configured for as long as histories written with them are kept
/// (the namespace's retention, plus saved replay histories).
/// </summary>
public sealed class EncryptionKeyRing
{
    public const int KeySize = 32;

    private readonly Dictionary<string, byte[]> keys;

    public EncryptionKeyRing(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentKeyId);
        ArgumentNullException.ThrowIfNull(keys);
        this.keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (key.Length != KeySize)
            {
                throw new ArgumentException($"Key '{id}' has {key.Length} bytes; AES-256 needs {KeySize}.", nameof(keys));
            }

            // Copied so the caller clearing or reusing its buffer cannot change the ring.
            this.keys[id] = (byte[])key.Clone();
        }

        if (!this.keys.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"The current key '{currentKeyId}' is not among the keys.", nameof(currentKeyId));
        }

        CurrentKeyId = currentKeyId;
        KeyIds = this.keys.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    public string CurrentKeyId { get; }

    public IReadOnlyList<string> KeyIds { get; }

    internal byte[] CurrentKey => keys[CurrentKeyId];

    internal bool TryGetKey(string keyId, [NotNullWhen(true)] out byte[]? key) => keys.TryGetValue(keyId, out key);

    public override string ToString() => $"current '{CurrentKeyId}', ids [{string.Join(", ", KeyIds)}]";
}
