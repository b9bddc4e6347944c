using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Temporalio.Converters;

namespace EventProcessor.Encryption;

/// <summary>
/// The one data converter of every Temporal client and worker of the product (trigger, worker,
/// local run, CLI, replay tests), so all of them read and write the same payloads. With encryption
/// on it is the default converter plus <see cref="AesGcmPayloadCodec"/>, with failure messages and
/// stack traces moved into the failure's encoded attributes so they are encrypted too (Temporal
/// then stores "Encoded failure" as the message). With <c>Encryption:Enabled=false</c> it is the
/// default converter; the caller logs <see cref="EncryptionSettings.Describe"/> so that is visible.
/// </summary>
public static class EventProcessorDataConverter
{
    /// <summary>Reads section <c>Encryption</c>; a missing or malformed key throws <see cref="InvalidSettingException"/> naming the setting.</summary>
    public static DataConverter Create(IConfiguration configuration) => Create(EncryptionOptions.Read(configuration));

    public static DataConverter Create(EncryptionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled || settings.Keys is null)
        {
            return DataConverter.Default;
        }

        return DataConverter.Default with
        {
            PayloadCodec = new AesGcmPayloadCodec(settings.Keys),
            FailureConverter = new DefaultFailureConverter.WithEncodedCommonAttributes(),
        };
    }

    /// <summary>True when the converter encrypts payloads with the product's codec.</summary>
    public static bool Encrypts(DataConverter converter) => converter?.PayloadCodec is AesGcmPayloadCodec;
}
