using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EventProcessor.Encryption;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Starting;
using EventProcessor.LambdaTrigger.Tests.Support;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Converters;

namespace EventProcessor.LambdaTrigger.Tests.Starting;

/// <summary>
/// The trigger writes its payloads without the SDK (so it compiles ahead of time); the worker reads
/// them with the SDK's converter (EventProcessorDataConverter). Here both sides meet: for every
/// sample, each payload the trigger writes, decoded by the worker's converter, is byte for byte the
/// payload the SDK's converter writes for the same value (the SDK's JsonPlainConverter with
/// DefaultPayloadConverter's default JsonSerializerOptions; SearchAttributeCollection.ToProto for
/// the search attributes), and it converts back to the same value.
/// </summary>
public sealed class StartRequestParityTests
{
    private const string KeyId = "parity";
    private static readonly EncryptionKeyRing Keys = new(KeyId, new Dictionary<string, byte[]> { [KeyId] = RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize) });

    public static TheoryData<string> ValidSamples() => new(Samples.ValidNames());

    [Fact]
    public void Every_catalog_type_has_a_sample_so_the_parity_theory_covers_it()
    {
        Assert.Equal(EventCatalog.All.Select(d => d.DetailType).Order(StringComparer.Ordinal), Samples.ValidNames());
    }

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public async Task Encrypted_payloads_decode_with_the_workers_converter_to_exactly_what_the_SDK_writes(string detailType)
    {
        var parsed = new EventParser().Parse(Samples.Valid(detailType));
        var worker = EventProcessorDataConverter.Create(EncryptionSettings.For(Keys));
        var request = new StartRequestFactory("parity-ns", "parity-queue", new WorkflowPayloads(EncryptionSettings.For(Keys)), "test@host").Create(parsed);

        var stored = new List<Payload> { request.Input.Payloads_.Single(), request.UserMetadata.Summary, request.UserMetadata.Details };
        stored.AddRange(request.Memo.Fields.Values);
        Assert.All(stored, p => Assert.Equal(AesGcmPayloadCodec.EncryptedEncoding, p.Metadata[AesGcmPayloadCodec.EncodingMetadataKey].ToStringUtf8()));

        await AssertSameAsSdkAsync(worker, request.Input.Payloads_.Single(), parsed.CreateWorkflowInput(), parsed.Definition.InputType);
        await AssertSameAsSdkAsync(worker, request.UserMetadata.Summary, parsed.Summary, typeof(string));
        await AssertSameAsSdkAsync(worker, request.UserMetadata.Details, parsed.Details, typeof(string));
        await AssertSameAsSdkAsync(worker, request.Memo.Fields["eventId"], parsed.Envelope.Id, typeof(string));
        await AssertSameAsSdkAsync(worker, request.Memo.Fields["eventSource"], parsed.Envelope.Source, typeof(string));
        await AssertSameAsSdkAsync(worker, request.Memo.Fields["eventTime"], parsed.Envelope.Time.ToString("O", CultureInfo.InvariantCulture), typeof(string));
        await AssertSameAsSdkAsync(worker, request.Memo.Fields["detailType"], parsed.Envelope.DetailType, typeof(string));
        Assert.Equal(4, request.Memo.Fields.Count);
    }

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void The_request_carries_the_events_identity_policies_and_the_SDKs_search_attributes(string detailType)
    {
        var parsed = new EventParser().Parse(Samples.Valid(detailType));

        var request = new StartRequestFactory("parity-ns", "parity-queue", new WorkflowPayloads(EncryptionSettings.Disabled), "test@host").Create(parsed);

        Assert.Equal("parity-ns", request.Namespace);
        Assert.Equal(parsed.WorkflowId, request.WorkflowId);
        Assert.Equal(parsed.WorkflowType, request.WorkflowType.Name);
        Assert.Equal("parity-queue", request.TaskQueue.Name);
        Assert.Equal("test@host", request.Identity);
        Assert.True(Guid.TryParse(request.RequestId, out _));
        Assert.Equal(WorkflowIdConflictPolicy.UseExisting, request.WorkflowIdConflictPolicy);
        Assert.Equal(WorkflowIdReusePolicy.RejectDuplicate, request.WorkflowIdReusePolicy);

        // The search attributes stay plaintext (the server indexes them) and are exactly the SDK's.
        Assert.Equal(parsed.SearchAttributes.ToProto(), request.SearchAttributes);

        // Encryption off: the payloads are the SDK's own, unchanged.
        var sdk = DataConverter.Default.PayloadConverter;
        Assert.Equal(sdk.ToPayload(parsed.CreateWorkflowInput()), request.Input.Payloads_.Single());
        Assert.Equal(sdk.ToPayload(parsed.Summary), request.UserMetadata.Summary);
        Assert.Equal(sdk.ToPayload(parsed.Details), request.UserMetadata.Details);
    }

    [Fact]
    public void Each_request_has_its_own_request_id_so_retries_of_one_call_are_deduplicated_but_calls_are_not()
    {
        var parsed = new EventParser().Parse(Samples.Valid("TicketCommentedEvent"));
        var factory = new StartRequestFactory("ns", "queue", new WorkflowPayloads(EncryptionSettings.Disabled));

        Assert.NotEqual(factory.Create(parsed).RequestId, factory.Create(parsed).RequestId);
    }

    private static async Task AssertSameAsSdkAsync(DataConverter worker, Payload ours, object expected, Type type)
    {
        var decoded = (await worker.PayloadCodec!.DecodeAsync([ours])).Single();
        var sdkPlain = worker.PayloadConverter.ToPayload(expected);
        Assert.Equal(sdkPlain.ToByteString(), decoded.ToByteString());

        // And the worker's decode path (codec, then converter) gives the value back.
        var value = worker.PayloadConverter.ToValue((await worker.PayloadCodec.DecodeAsync([ours])).Single(), type);
        Assert.Equal(JsonSerializer.Serialize(expected, type), JsonSerializer.Serialize(value, type));
    }
}
