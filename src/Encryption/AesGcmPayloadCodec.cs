using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace EventProcessor.Encryption;

/// <summary>
/// Encrypts each Temporal payload whole (its metadata, e.g. <c>json/plain</c>, and its data) with
/// AES-256-GCM under the key ring's current key, with a fresh random 12-byte nonce per payload.
/// The result is a payload with encoding <c>binary/encrypted</c>, the key id in metadata
/// <c>encryption-key-id</c>, and data <c>nonce ‖ ciphertext ‖ tag</c> (the layout of Temporal's
/// encryption samples). Decoding picks the key by that id, so retired keys keep old payloads
/// readable; payloads not marked <c>binary/encrypted</c> (written before encryption was on) pass
/// through unchanged. Anything that does not authenticate throws <see cref="PayloadDecryptionException"/>.
/// </summary>
public sealed class AesGcmPayloadCodec : IPayloadCodec
{
    public const string EncryptedEncoding = "binary/encrypted";
    public const string KeyIdMetadataKey = "encryption-key-id";
    public const string EncodingMetadataKey = "encoding";
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private const int MaxShownKeyIdLength = 64;
    private static readonly ByteString EncryptedEncodingBytes = ByteString.CopyFromUtf8(EncryptedEncoding);

    private readonly EncryptionKeyRing keys;
    private readonly ByteString currentKeyIdBytes;

    public AesGcmPayloadCodec(EncryptionKeyRing keys)
    {
        this.keys = keys ?? throw new ArgumentNullException(nameof(keys));
        currentKeyIdBytes = ByteString.CopyFromUtf8(keys.CurrentKeyId);
    }

    public EncryptionKeyRing Keys => keys;

    public Task<IReadOnlyCollection<Payload>> EncodeAsync(IReadOnlyCollection<Payload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var encoded = new List<Payload>(payloads.Count);
        foreach (var payload in payloads)
        {
            encoded.Add(Encrypt(payload));
        }

        return Task.FromResult<IReadOnlyCollection<Payload>>(encoded);
    }

    public Task<IReadOnlyCollection<Payload>> DecodeAsync(IReadOnlyCollection<Payload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var decoded = new List<Payload>(payloads.Count);
        foreach (var payload in payloads)
        {
            decoded.Add(Decrypt(payload));
        }

        return Task.FromResult<IReadOnlyCollection<Payload>>(decoded);
    }

    /// <summary>True when the payload is marked as encrypted by this codec's format.</summary>
    public static bool IsEncrypted(Payload payload) =>
        payload is not null && payload.Metadata.TryGetValue(EncodingMetadataKey, out var encoding) && encoding.Equals(EncryptedEncodingBytes);

    public Payload Encrypt(Payload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var plaintext = payload.ToByteArray();
        try
        {
            var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
            var nonce = sealedBytes.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);

            // AesGcm holds one native context and is not safe to share across threads; one per call costs about a microsecond.
            using var aes = new AesGcm(keys.CurrentKey, TagSize);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length, TagSize));
            return new Payload
            {
                Metadata =
                {
                    [EncodingMetadataKey] = EncryptedEncodingBytes,
                    [KeyIdMetadataKey] = currentKeyIdBytes,
                },
                Data = UnsafeByteOperations.UnsafeWrap(sealedBytes),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public Payload Decrypt(Payload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!IsEncrypted(payload))
        {
            return payload;
        }

        if (!payload.Metadata.TryGetValue(KeyIdMetadataKey, out var keyIdBytes) || keyIdBytes.IsEmpty)
        {
            throw new PayloadDecryptionException(null, $"the payload is {EncryptedEncoding} but carries no '{KeyIdMetadataKey}' metadata.");
        }

        var keyId = Shown(keyIdBytes);
        if (!keys.TryGetKey(keyIdBytes.ToStringUtf8(), out var key))
        {
            throw new PayloadDecryptionException(keyId,
                $"no key '{keyId}' is configured (configured: {string.Join(", ", keys.KeyIds)}). A retired key must stay in Encryption:Keys or Encryption:KeyFiles while histories written with it are kept.");
        }

        var data = payload.Data.Span;
        if (data.Length < NonceSize + TagSize)
        {
            throw new PayloadDecryptionException(keyId, $"the data is {data.Length} bytes, shorter than a {NonceSize}-byte nonce and a {TagSize}-byte tag: it was truncated.");
        }

        var plaintext = new byte[data.Length - NonceSize - TagSize];
        try
        {
            using (var aes = new AesGcm(key, TagSize))
            {
                aes.Decrypt(data[..NonceSize], data.Slice(NonceSize, plaintext.Length), data[^TagSize..], plaintext);
            }

            return Payload.Parser.ParseFrom(plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new PayloadDecryptionException(keyId, "authentication failed: the ciphertext, nonce or tag was altered, or the payload was encrypted with a different key under this id.", ex);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new PayloadDecryptionException(keyId, "the decrypted bytes are not a Temporal payload.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // A tampered id is attacker-chosen text: bound it and keep it printable before it reaches a message or log.
    private static string Shown(ByteString keyIdBytes)
    {
        var text = keyIdBytes.ToStringUtf8();
        var builder = new StringBuilder(Math.Min(text.Length, MaxShownKeyIdLength));
        foreach (var c in text.Take(MaxShownKeyIdLength))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > MaxShownKeyIdLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
