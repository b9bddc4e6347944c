using System.Text.Json.Nodes;
using EventProcessor.Cli.Tests.Events;
using EventProcessor.Cli.Tests.Stubs;

namespace EventProcessor.Cli.Tests;

/// <summary>
/// --output json|jsonl: standard output holds JSON only, with the field names docs/runbook.md
/// lists, and the exit codes are those of the table output.
/// </summary>
public sealed class OutputFormatTests
{
    [Fact]
    public async Task Validate_as_jsonl_prints_one_record_per_event_with_its_workflow_id()
    {
        using var samples = new SampleFiles();

        var result = await CliRun.RunAsync("events", "validate", samples.Path, "--output", "jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        var records = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(samples.Count, records.Count);
        Assert.All(records, r => Assert.Equal(["source", "valid", "detailType", "eventId", "workflowId", "error"], r.Select(p => p.Key)));
        var commented = Assert.Single(records, r => r["source"]!.GetValue<string>() == "TicketCommentedEvent.json");
        Assert.True(commented["valid"]!.GetValue<bool>());
        Assert.Equal("TicketCommentedEvent", commented["detailType"]!.GetValue<string>());
        Assert.Equal($"TicketCommented-{commented["eventId"]!.GetValue<string>()}", commented["workflowId"]!.GetValue<string>());
        Assert.Null(commented["error"]);
    }

    [Fact]
    public async Task Validate_as_json_prints_an_array_and_keeps_exit_code_1_for_an_invalid_event()
    {
        using var samples = new SampleFiles();
        samples.Write("broken.json", """{"id": 7}""");

        var result = await CliRun.RunAsync("events", "validate", samples.Path, "-o", "json");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        var records = JsonNode.Parse(result.Out)!.AsArray();
        var broken = Assert.Single(records, r => r!["source"]!.GetValue<string>() == "broken.json")!;
        Assert.False(broken["valid"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(broken["error"]!.GetValue<string>()));
        Assert.Null(broken["workflowId"]);
    }

    [Fact]
    public async Task Redrive_dry_run_as_json_prints_the_summary_and_each_message()
    {
        var log = new StubLog();
        using var sqs = new SqsQueueStub(log);
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleFiles.SamplesDirectory, "TicketCommentedEvent.json")))!;
        var message = sqs.Add(node.ToJsonString());
        var poison = sqs.Add("not json");

        var result = await CliRun.RunAsync("events", "redrive", "--queue", sqs.QueueUrl, "--sqs-endpoint-url", sqs.Url, "--dry-run", "-o", "json");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        var summary = JsonNode.Parse(result.Out)!;
        Assert.Equal((true, 1, 1, 0, 0), (summary["dryRun"]!.GetValue<bool>(), summary["wouldRedrive"]!.GetValue<int>(), summary["poison"]!.GetValue<int>(), summary["redriven"]!.GetValue<int>(), summary["notAccepted"]!.GetValue<int>()));
        var outcomes = summary["outcomes"]!.AsArray();
        Assert.Equal("would-redrive", Assert.Single(outcomes, o => o!["messageId"]!.GetValue<string>() == message)!["outcome"]!.GetValue<string>());
        Assert.Equal("poison", Assert.Single(outcomes, o => o!["messageId"]!.GetValue<string>() == poison)!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_output_format_is_a_usage_error()
    {
        var result = await CliRun.RunAsync("runs", "list", "--output", "yaml");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: Argument 'yaml' not recognized. Must be one of:", result.Error, StringComparison.Ordinal);
    }
}
