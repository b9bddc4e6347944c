using System.Net;
using System.Text;
using EventProcessor.Events.Payloads;
using EventProcessor.TestSupport;
using EventProcessor.Workflows;
using EventProcessor.Workflows.Accounts;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace EventProcessor.Encryption.Tests;

/// <summary>
/// The end-to-end check of encryption (docs/encryption.md): real product workflows carrying an email address, a person's name
/// and secret links run on the Temporal server with the product's encrypting converter on client
/// and worker; the history the server stores holds none of them, and the codec server gives them
/// back to a caller with a valid token only.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class EncryptedHistoryTests(TemporalServerFixture temporal)
{
    private const string InviteeEmail = "lena.fischer@acme-retail.com";
    private const string InviterName = "Maria Lopez";
    private const string AcceptUrl = "https://app.example-platform.com/invites/inv-8812/accept?token=7d2f0c";
    private const string ResetEmail = "sam.okafor@acme-retail.com";
    private const string ResetUrl = "https://app.example-platform.com/reset-password?token=q8Zr1vT0xLm4";
    private const string CodecToken = "support-cli-token-0123456789abcdef";
    private const string SavedHistoryFile = "UserTeamInvitedEventWorkflow.encrypted.json";

    private static readonly string[] Secrets = [InviteeEmail, "lena.fischer", InviterName, AcceptUrl, "token=7d2f0c", ResetEmail, "sam.okafor", ResetUrl, "q8Zr1vT0xLm4"];

    private static (string Key, string? Value)[] EncryptionSection =>
        TestKeys.EncryptionSection(TestKeys.SavedHistoryKeyId, new Dictionary<string, string> { [TestKeys.SavedHistoryKeyId] = TestKeys.SavedHistoryKey });

    private static DataConverter Converter => EventProcessorDataConverter.Create(TestKeys.Configuration(EncryptionSection));

    [Fact]
    public async Task No_personal_data_or_secret_is_readable_in_the_raw_history_and_the_codec_server_decodes_it_for_a_valid_token_only()
    {
        var converter = Converter;
        await using var harness = await WorkflowHarness.StartAsync(temporal, dataConverter: converter);

        // A run that succeeds (email, inviter's name, accept link) and one that fails with the address in its message.
        var invited = SampleEvents.Load("UserTeamInvitedEvent");
        var sent = await harness.RunAsync<TeamInvitationSent>(invited);
        harness.Downstream.Smtp.RejectRecipient(ResetEmail);
        var reset = SampleEvents.Load("PasswordResetRequestedEvent");
        var failed = await harness.RunToFailureAsync(reset);

        // The product itself still sees plaintext: the mail went out and the failure reads normally.
        Assert.Equal("inv-8812", sent.InviteId);
        var mail = Assert.Single(harness.Downstream.Smtp.MessagesTo(InviteeEmail));
        Assert.Contains(AcceptUrl, mail.Text, StringComparison.Ordinal);
        Assert.Contains(InviterName, mail.Text, StringComparison.Ordinal);
        var cause = Assert.IsType<ApplicationFailureException>(failed.InnerException);
        Assert.Contains(ResetEmail, cause.Message, StringComparison.Ordinal);

        // What the server stores, read without any codec.
        var invitedHistory = await HistoryScan.RawHistoryAsync(temporal.Client, temporal.Namespace, invited.WorkflowId);
        var resetHistory = await HistoryScan.RawHistoryAsync(temporal.Client, temporal.Namespace, reset.WorkflowId);
        Assert.Equal(EventType.WorkflowExecutionCompleted, invitedHistory.Events[^1].EventType);
        Assert.Equal(EventType.WorkflowExecutionFailed, resetHistory.Events[^1].EventType);
        var scans = new[] { HistoryScan.Of(invitedHistory), HistoryScan.Of(resetHistory) };
        foreach (var history in new[] { invitedHistory, resetHistory })
        {
            Assert.Empty(HistoryScan.FoundIn(history, Secrets));
        }

        foreach (var scan in scans)
        {
            Assert.NotEmpty(scan.CodecPayloads);
            Assert.All(scan.CodecPayloads, p =>
            {
                Assert.True(AesGcmPayloadCodec.IsEncrypted(p), $"a payload with encoding '{p.Metadata.GetValueOrDefault("encoding")?.ToStringUtf8()}' is not encrypted");
                Assert.Equal(TestKeys.SavedHistoryKeyId, p.Metadata["encryption-key-id"].ToStringUtf8());
            });
            Assert.NotEmpty(scan.SearchAttributePayloads);
            Assert.All(scan.SearchAttributePayloads, p => Assert.Empty(HistoryScan.FoundIn(p, Secrets)));
            Assert.All(scan.Failures, f =>
            {
                Assert.Equal("Encoded failure", f.Message);
                Assert.Empty(f.StackTrace);
                Assert.True(AesGcmPayloadCodec.IsEncrypted(f.EncodedAttributes));
            });
        }

        Assert.NotEmpty(scans[1].Failures);

        // The same payloads through the codec server: refused without a valid token, plaintext with one.
        var stored = scans.SelectMany(s => s.CodecPayloads).ToList();
        await using var server = await CodecServerInstance.StartAsync([.. EncryptionSection, ("CodecServer:Tokens:support-cli", CodecToken), ("CodecServer:Access:Namespaces:0", temporal.Namespace)]);
        using var anonymous = await server.PostAsync("/decode", stored, bearer: null, ns: temporal.Namespace);
        using var wrongToken = await server.PostAsync("/decode", stored, bearer: "support-cli-token-0123456789abcdeX", ns: temporal.Namespace);
        using var authorised = await server.PostAsync("/decode", stored, CodecToken, ns: temporal.Namespace);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        var decoded = await CodecServerInstance.ReadPayloadsAsync(authorised);
        Assert.Equal(stored.Count, decoded.Count);
        Assert.DoesNotContain(decoded, AesGcmPayloadCodec.IsEncrypted);
        var decodedText = string.Join('\n', decoded.Select(p => p.Data.ToStringUtf8()));
        Assert.All(Secrets, s => Assert.Contains(s, decodedText, StringComparison.Ordinal));

        // Decoded correctly: the started event's input is exactly what the trigger sent.
        var input = invitedHistory.Events[0].WorkflowExecutionStartedEventAttributes.Input.Payloads_.Single();
        var decodedInput = decoded[stored.IndexOf(input)];
        Assert.Equal(invited.CreateWorkflowInput(), DataConverter.Default.PayloadConverter.ToValue<EventInput<UserTeamInvitedDetail>>(decodedInput));
        Assert.DoesNotContain(server.Logs.Lines, l => Secrets.Any(s => l.Contains(s, StringComparison.Ordinal)));

        if (WorkflowHistories.Recording)
        {
            var saved = await harness.Client.GetWorkflowHandle(invited.WorkflowId).FetchHistoryAsync();
            var directory = Path.Combine(SampleEvents.RepositoryRoot(), "tests", "Encryption.Tests", "Histories");
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, SavedHistoryFile), saved.ToJson());
        }
    }

    [Fact]
    public async Task An_encrypted_history_replays_with_the_codec_and_not_without_it()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, dataConverter: Converter);
        var invited = SampleEvents.Load("UserTeamInvitedEvent");
        await harness.RunAsync<TeamInvitationSent>(invited);
        var fetched = await harness.Client.GetWorkflowHandle(invited.WorkflowId).FetchHistoryAsync();

        // Through JSON, as a saved history is kept.
        var history = WorkflowHistory.FromJson(invited.WorkflowId, fetched.ToJson());

        Assert.Null((await Replayer(Converter).ReplayWorkflowAsync(history, throwOnReplayFailure: false)).ReplayFailure);
        Assert.NotNull((await Replayer(null).ReplayWorkflowAsync(history, throwOnReplayFailure: false)).ReplayFailure);
    }

    [Fact]
    public async Task The_saved_encrypted_history_keeps_replaying_with_the_codec()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Histories", SavedHistoryFile);
        var json = await File.ReadAllTextAsync(path);
        var history = WorkflowHistory.FromJson("saved", json);

        Assert.Empty(HistoryScan.FoundIn(new History { Events = { history.Events } }, Secrets));
        Assert.Null((await Replayer(Converter).ReplayWorkflowAsync(history, throwOnReplayFailure: false)).ReplayFailure);
        Assert.NotNull((await Replayer(null).ReplayWorkflowAsync(history, throwOnReplayFailure: false)).ReplayFailure);
    }

    [Theory]
    [InlineData(WorkflowHistories.HistoriesProject, "UserTeamInvitedEventWorkflow", AcceptUrl)]
    [InlineData(WorkflowHistories.HistoriesProject, "PasswordResetRequestedEventWorkflow", ResetUrl)]
    public async Task Histories_saved_before_encryption_still_replay_with_the_encrypting_converter(string project, string workflowType, string plaintext)
    {
        var path = Path.Combine(SampleEvents.RepositoryRoot(), "tests", project, "Histories", $"{workflowType}.json");
        var history = WorkflowHistory.FromJson(workflowType, await File.ReadAllTextAsync(path));

        var result = await Replayer(Converter).ReplayWorkflowAsync(history, throwOnReplayFailure: false);

        // These were written unencrypted: the scan that finds nothing in encrypted histories finds the link here.
        Assert.Equal([plaintext], HistoryScan.FoundIn(new History { Events = { history.Events } }, [plaintext]));

        Assert.True(result.ReplayFailure is null, $"{workflowType}: {result.ReplayFailure}");
    }

    private static WorkflowReplayer Replayer(DataConverter? converter)
    {
        var options = new WorkflowReplayerOptions();
        if (converter is not null)
        {
            options.DataConverter = converter;
        }

        foreach (var workflow in EventWorkflows.Types)
        {
            options.AddWorkflow(workflow);
        }

        return new WorkflowReplayer(options);
    }
}
