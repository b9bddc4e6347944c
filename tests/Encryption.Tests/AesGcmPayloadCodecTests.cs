using System.Text;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace EventProcessor.Encryption.Tests;

public sealed class AesGcmPayloadCodecTests
{
    private const string Secret = "https://app.example-platform.com/reset-password?token=q8Zr1vT0xLm4";

    private static Payload JsonPayload(string text) => DataConverter.Default.PayloadConverter.ToPayload(new { resetUrl = text, email = "sam.okafor@acme-retail.com" });

    [Fact]
    public async Task A_payload_round_trips_and_its_encrypted_form_holds_no_plaintext()
    {
        var codec = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var original = JsonPayload(Secret);

        var encoded = Assert.Single(await codec.EncodeAsync([original]));
        var decoded = Assert.Single(await codec.DecodeAsync([encoded]));

        Assert.Equal(original, decoded);
        Assert.Equal("binary/encrypted", encoded.Metadata["encoding"].ToStringUtf8());
        Assert.Equal("k1", encoded.Metadata["encryption-key-id"].ToStringUtf8());
        Assert.Equal(["encoding", "encryption-key-id"], encoded.Metadata.Keys.Order(StringComparer.Ordinal));
        var raw = encoded.ToByteArray();
        Assert.DoesNotContain("token=", Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        Assert.DoesNotContain("json/plain", Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        Assert.Equal(AesGcmPayloadCodec.NonceSize + original.CalculateSize() + AesGcmPayloadCodec.TagSize, encoded.Data.Length);
    }

    [Fact]
    public async Task Every_payload_gets_a_fresh_nonce_so_equal_inputs_encrypt_differently()
    {
        var codec = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var payload = JsonPayload(Secret);

        var encoded = (await codec.EncodeAsync([payload, payload, payload])).ToList();

        Assert.Equal(3, encoded.Count);
        var nonces = encoded.Select(p => Convert.ToBase64String(p.Data.Span[..AesGcmPayloadCodec.NonceSize])).ToHashSet();
        Assert.Equal(3, nonces.Count);
        Assert.Equal(3, encoded.Select(p => p.Data.ToBase64()).Distinct().Count());
        Assert.All(await codec.DecodeAsync(encoded), d => Assert.Equal(payload, d));
    }

    [Fact]
    public async Task Payloads_written_under_key_A_still_decode_after_key_B_becomes_current()
    {
        var keyA = TestKeys.NewBase64();
        var keyB = TestKeys.NewBase64();
        var underA = new AesGcmPayloadCodec(TestKeys.Ring("A", new Dictionary<string, string> { ["A"] = keyA }));
        var rotated = new AesGcmPayloadCodec(TestKeys.Ring("B", new Dictionary<string, string> { ["A"] = keyA, ["B"] = keyB }));
        var original = JsonPayload(Secret);

        var writtenUnderA = Assert.Single(await underA.EncodeAsync([original]));
        var writtenUnderB = Assert.Single(await rotated.EncodeAsync([original]));

        Assert.Equal("A", writtenUnderA.Metadata["encryption-key-id"].ToStringUtf8());
        Assert.Equal("B", writtenUnderB.Metadata["encryption-key-id"].ToStringUtf8());
        Assert.Equal(original, Assert.Single(await rotated.DecodeAsync([writtenUnderA])));
        Assert.Equal(original, Assert.Single(await rotated.DecodeAsync([writtenUnderB])));

        // Once A is dropped from the ring its payloads are refused by name, not misread.
        var onlyB = new AesGcmPayloadCodec(TestKeys.Ring("B", new Dictionary<string, string> { ["B"] = keyB }));
        var error = await Assert.ThrowsAsync<PayloadDecryptionException>(() => onlyB.DecodeAsync([writtenUnderA]));
        Assert.Equal("A", error.KeyId);
        Assert.Contains("no key 'A' is configured (configured: B)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)] // nonce
    [InlineData(20)] // ciphertext
    [InlineData(-1)] // tag
    public async Task Tampered_bytes_are_rejected_with_a_clear_error_never_decoded(int position)
    {
        var codec = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var encoded = Assert.Single(await codec.EncodeAsync([JsonPayload(Secret)]));
        var bytes = encoded.Data.ToByteArray();
        bytes[position < 0 ? bytes.Length + position : position] ^= 0x01;
        var tampered = new Payload(encoded) { Data = ByteString.CopyFrom(bytes) };

        var error = await Assert.ThrowsAsync<PayloadDecryptionException>(() => codec.DecodeAsync([tampered]));

        Assert.Equal("k1", error.KeyId);
        Assert.Equal($"Cannot decrypt a Temporal payload encrypted with key 'k1': authentication failed: the ciphertext, nonce or tag was altered, or the payload was encrypted with a different key under this id.", error.Message);
        Assert.DoesNotContain("token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_different_key_under_the_same_id_is_rejected()
    {
        var writer = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var reader = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var encoded = await writer.EncodeAsync([JsonPayload(Secret)]);

        var error = await Assert.ThrowsAsync<PayloadDecryptionException>(() => reader.DecodeAsync(encoded));

        Assert.Contains("authentication failed", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_data_and_a_missing_key_id_are_named()
    {
        var codec = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var encoded = Assert.Single(await codec.EncodeAsync([JsonPayload(Secret)]));

        var truncated = new Payload(encoded) { Data = ByteString.CopyFrom(encoded.Data.Span[..20]) };
        var noKeyId = new Payload(encoded);
        noKeyId.Metadata.Remove("encryption-key-id");

        var shortError = await Assert.ThrowsAsync<PayloadDecryptionException>(() => codec.DecodeAsync([truncated]));
        var idError = await Assert.ThrowsAsync<PayloadDecryptionException>(() => codec.DecodeAsync([noKeyId]));
        Assert.Contains("the data is 20 bytes, shorter than a 12-byte nonce and a 16-byte tag", shortError.Message, StringComparison.Ordinal);
        Assert.Null(idError.KeyId);
        Assert.Contains("carries no 'encryption-key-id' metadata", idError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payloads_written_before_encryption_was_on_pass_through_decode()
    {
        var codec = new AesGcmPayloadCodec(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() }));
        var plain = JsonPayload("old run");

        Assert.Same(plain, Assert.Single(await codec.DecodeAsync([plain])));
    }

    [Fact]
    public async Task Failures_decode_through_the_codec_extension()
    {
        var converter = EventProcessorDataConverter.Create(EncryptionSettings.For(TestKeys.Ring("k1", new Dictionary<string, string> { ["k1"] = TestKeys.NewBase64() })));
        var failure = converter.FailureConverter.ToFailure(new InvalidOperationException($"mail to sam.okafor@acme-retail.com refused"), converter.PayloadConverter);

        await converter.PayloadCodec!.EncodeFailureAsync(failure);

        Assert.Equal("Encoded failure", failure.Message);
        Assert.DoesNotContain("sam.okafor", failure.ToByteString().ToStringUtf8(), StringComparison.Ordinal);
        await converter.PayloadCodec!.DecodeFailureAsync(failure);
        var exception = converter.FailureConverter.ToException(failure, converter.PayloadConverter);
        Assert.Contains("sam.okafor@acme-retail.com refused", exception.Message, StringComparison.Ordinal);
    }
}
