using System.Text;

namespace EventProcessor.Encryption;

/// <summary>
/// Section <c>Encryption</c>, read and checked by <see cref="EncryptionOptions"/>.
/// <see cref="Keys"/> is null exactly when encryption was switched off explicitly.
/// </summary>
public sealed record EncryptionSettings(bool Enabled, EncryptionKeyRing? Keys)
{
    public const string SectionName = "Encryption";

    /// <summary>Encryption switched off (<c>Encryption:Enabled=false</c>): payloads are stored as plaintext.</summary>
    public static EncryptionSettings Disabled { get; } = new(false, null);

    public static EncryptionSettings For(EncryptionKeyRing keys) => new(true, keys ?? throw new ArgumentNullException(nameof(keys)));

    /// <summary>One line for the start-up log: whether payloads are encrypted and with which key id; never key material.</summary>
    public string Describe() => Enabled && Keys is not null
        ? $"Temporal payload encryption is on: AES-256-GCM, new payloads use key '{Keys.CurrentKeyId}', payloads of keys {string.Join(", ", Keys.KeyIds.Select(k => $"'{k}'"))} decode."
        : "Temporal payload encryption is OFF (Encryption:Enabled=false): workflow inputs, results and failures are stored and shown as plaintext.";

    // The generated ToString would print the key ring's members; keep it to ids only.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Enabled = ").Append(Enabled);
        if (Keys is not null)
        {
            builder.Append(", Keys = ").Append(Keys);
        }

        return true;
    }
}
