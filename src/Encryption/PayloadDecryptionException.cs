namespace EventProcessor.Encryption;

/// <summary>
/// An encrypted payload could not be decrypted: its key id is unknown, it is truncated, or its
/// authentication tag does not match (altered ciphertext, nonce or tag, or a different key under the
/// same id). Raised instead of returning bytes, so a damaged payload never decodes into garbage.
/// The message names the key id and the reason, never payload contents.
/// </summary>
public sealed class PayloadDecryptionException : Exception
{
    public PayloadDecryptionException(string? keyId, string reason, Exception? innerException = null)
        : base($"Cannot decrypt a Temporal payload{(keyId is null ? string.Empty : $" encrypted with key '{keyId}'")}: {reason}", innerException)
    {
        KeyId = keyId;
        Reason = reason;
    }

    public PayloadDecryptionException()
        : this(null, "unknown reason")
    {
    }

    public PayloadDecryptionException(string message)
        : this(null, message)
    {
    }

    public PayloadDecryptionException(string message, Exception innerException)
        : this(null, message, innerException)
    {
    }

    /// <summary>The payload's <c>encryption-key-id</c>, or null when it carried none.</summary>
    public string? KeyId { get; }

    public string Reason { get; }
}
