using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventProcessor.Cli.Tests.Stubs;

namespace EventProcessor.Cli.Tests.Events;

public sealed partial class EventsCommandTests
{
    [Fact]
    public async Task Validate_accepts_every_sample_and_names_the_workflow_of_each()
    {
        var result = await CliRun.RunAsync("events", "validate", SampleFiles.SamplesDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("29 valid, 0 invalid.", result.Out, StringComparison.Ordinal);
        Assert.Contains("TicketCommentedEvent -> workflow TicketCommented-", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_each_invalid_sample_with_the_parsers_error_and_fails()
    {
        var directory = Path.Combine(SampleFiles.SamplesDirectory, "invalid");
        var result = await CliRun.RunAsync("events", "validate", directory);

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        var samples = Directory.GetFiles(directory, "*.json");
        foreach (var sample in samples)
        {
            var message = File.ReadAllLines(Path.ChangeExtension(sample, ".expected.txt")).Single(l => l.StartsWith("message: ", StringComparison.Ordinal))["message: ".Length..];
            Assert.Contains($"invalid  {Path.GetFileName(sample)}: {message}", result.Out, StringComparison.Ordinal);
        }

        Assert.Contains($"0 valid, {samples.Length} invalid.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_to_the_bus_batches_by_ten_signs_every_call_and_resends_failed_entries()
    {
        using var samples = new SampleFiles();
        using var bus = new EventBridgeStub();
        bus.FailEntry("rpt-58213", times: 1);   // the report samples: several entries fail their first send

        var result = await CliRun.RunAsync("events", "send", samples.Path, "--bus", "platform-events", "--endpoint-url", bus.Url);

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = bus.Calls;
        Assert.Equal([10, 10, 9], calls.Take(3).Select(c => c.Entries.Count));
        var resent = calls.Skip(3).SelectMany(c => c.Entries).ToList();
        Assert.NotEmpty(resent);
        Assert.All(resent, e => Assert.Contains("rpt-58213", e["Detail"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(samples.Count, calls.SelectMany(c => c.Entries).Count() - resent.Count);
        Assert.Contains($"{samples.Count} accepted, 0 failed.", result.Out, StringComparison.Ordinal);
        Assert.All(calls, call =>
        {
            Assert.Matches(AmzDate(), call.Headers["x-amz-date"]);
            var authorization = AuthorizationHeader().Match(call.Headers["authorization"]);
            Assert.True(authorization.Success, call.Headers["authorization"]);
            Assert.Equal(CliRun.AccessKey, authorization.Groups["key"].Value);
            Assert.Equal(call.Headers["x-amz-date"][..8], authorization.Groups["date"].Value);
            Assert.Equal("application/x-amz-json-1.1", call.Headers["content-type"]);
        });
        var entry = calls[0].Entries[0];
        Assert.Equal("platform-events", entry["EventBusName"]!.GetValue<string>());
        Assert.NotNull(JsonNode.Parse(entry["Detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Send_gives_up_on_an_entry_still_failing_after_five_attempts_and_fails()
    {
        using var samples = new SampleFiles();
        using var bus = new EventBridgeStub();
        bus.FailEntry("SUP-", times: 1000);

        var result = await CliRun.RunAsync("events", "send", samples.Path, "--bus", "platform-events", "--endpoint-url", bus.Url);

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains("still failing after 5 attempts: InternalFailure", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_sends_nothing_when_one_event_is_invalid()
    {
        using var samples = new SampleFiles();
        samples.Write("zz-broken.json", "{ \"id\": \"1\" ");
        using var bus = new EventBridgeStub();

        var result = await CliRun.RunAsync("events", "send", samples.Path, "--bus", "platform-events", "--endpoint-url", bus.Url);

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains("invalid  zz-broken.json: Event rejected: not valid JSON", result.Out, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", result.Error, StringComparison.Ordinal);
        Assert.Empty(bus.Calls);
    }

    [Fact]
    public async Task Redrive_resends_valid_events_deletes_only_accepted_ones_and_leaves_poison_in_place()
    {
        var log = new StubLog();
        using var sqs = new SqsQueueStub(log);
        using var intake = new IntakeStub(log);
        var events = Directory.GetFiles(SampleFiles.SamplesDirectory, "*.json").Order(StringComparer.Ordinal).Take(12).Select(f =>
        {
            var node = JsonNode.Parse(File.ReadAllText(f))!;
            node["id"] = Guid.NewGuid().ToString();
            return node;
        }).ToList();
        var ids = events.Select(e => (Id: e["id"]!.GetValue<string>(), Message: sqs.Add(e.ToJsonString()))).ToList();
        var poisonJson = sqs.Add("{ not json");
        var unknown = events[0].DeepClone();
        unknown["detail-type"] = "NoSuchEvent";
        var poisonType = sqs.Add(unknown.ToJsonString());
        intake.Unavailable(ids[3].Id);

        var result = await CliRun.RunAsync("events", "redrive", "--queue", sqs.QueueUrl, "--sqs-endpoint-url", sqs.Url, "--intake", intake.Url);

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Equal(new[] { poisonJson, poisonType, ids[3].Message }.Order(StringComparer.Ordinal), sqs.Remaining);
        Assert.Contains($"poison        {poisonType}: Event '{unknown["id"]}' of type 'NoSuchEvent' rejected: detail-type 'NoSuchEvent' is not one the processor handles", result.Out, StringComparison.Ordinal);
        Assert.Contains("Redriven: 11, not accepted (left in queue): 1, poison (left in queue): 2.", result.Out, StringComparison.Ordinal);
        var entries = log.Entries.ToList();
        foreach (var (id, message) in ids.Where(x => x.Id != ids[3].Id))
        {
            var accepted = entries.IndexOf($"accepted {id}");
            var deleted = entries.IndexOf($"deleted {message}");
            Assert.True(accepted >= 0 && deleted > accepted, $"{id}: accepted at {accepted}, deleted at {deleted}");
        }

        Assert.DoesNotContain($"deleted {ids[3].Message}", entries);
        Assert.All(sqs.Targets, t => Assert.True(t is "AmazonSQS.ReceiveMessage" or "AmazonSQS.DeleteMessage", t));
    }

    [Fact]
    public async Task Send_to_the_intake_reports_each_event_and_fails_when_one_is_not_accepted()
    {
        using var samples = new SampleFiles();
        var log = new StubLog();
        using var intake = new IntakeStub(log);
        var unavailable = JsonNode.Parse(File.ReadAllText(Path.Combine(samples.Path, "TicketCommentedEvent.json")))!["id"]!.GetValue<string>();
        intake.Unavailable(unavailable);

        var result = await CliRun.RunAsync("events", "send", samples.Path, "--intake", intake.Url);

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Equal(samples.Count - 1, log.Entries.Count(e => e.StartsWith("accepted ", StringComparison.Ordinal)));
        Assert.Contains("FAILED  TicketCommentedEvent.json: Temporal unavailable (503), safe to resend: Temporal is unavailable", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"sent    ReportSchemaGeneratedEvent\.json: accepted: wf-[0-9a-f-]{36} started", result.Out);
        Assert.Contains($"{samples.Count - 1} accepted, 1 failed.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_unwraps_lambda_failed_invocation_records_and_reports_the_triggers_error_for_poison()
    {
        var log = new StubLog();
        using var sqs = new SqsQueueStub(log);
        using var intake = new IntakeStub(log);
        var valid = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleFiles.SamplesDirectory, "ReportUpdatedEvent.json")))!;
        valid["id"] = Guid.NewGuid().ToString();
        var poison = valid.DeepClone();
        poison["id"] = Guid.NewGuid().ToString();
        poison["source"] = "somewhere-else";
        static string Record(JsonNode payload, string errorType) => new JsonObject
        {
            ["version"] = "1.0",
            ["requestContext"] = new JsonObject { ["condition"] = "RetriesExhausted", ["approximateInvokeCount"] = 3 },
            ["requestPayload"] = payload.DeepClone(),
            ["responsePayload"] = new JsonObject { ["errorType"] = errorType, ["errorMessage"] = "earlier failure" },
        }.ToJsonString();
        sqs.Add(Record(valid, "TransientError"));
        var poisonMessage = sqs.Add(Record(poison, "PoisonEvent"));

        var result = await CliRun.RunAsync("events", "redrive", "--queue", sqs.QueueUrl, "--sqs-endpoint-url", sqs.Url, "--intake", intake.Url);

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains($"accepted {valid["id"]}", log.Entries);
        Assert.Equal([poisonMessage], sqs.Remaining);
        Assert.Contains("source 'somewhere-else' is not allowed for ReportUpdatedEvent (allowed: phoenix-webhooks) (the trigger said PoisonEvent: earlier failure)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_dry_run_sends_and_deletes_nothing()
    {
        var log = new StubLog();
        using var sqs = new SqsQueueStub(log);
        using var intake = new IntakeStub(log);
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleFiles.SamplesDirectory, "TicketCommentedEvent.json")))!;
        var message = sqs.Add(node.ToJsonString());

        var result = await CliRun.RunAsync("events", "redrive", "--queue", sqs.QueueUrl, "--sqs-endpoint-url", sqs.Url, "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Dry run: 1 would be redriven, 0 poison.", result.Out, StringComparison.Ordinal);
        Assert.Equal([message], sqs.Remaining);
        Assert.DoesNotContain(log.Entries, e => e.StartsWith("accepted", StringComparison.Ordinal) || e.StartsWith("deleted", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\d{8}T\d{6}Z$")]
    private static partial Regex AmzDate();

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\d{8})/eu-west-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$")]
    private static partial Regex AuthorizationHeader();
}
