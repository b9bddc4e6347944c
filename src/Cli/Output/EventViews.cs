using System.Text.Json.Nodes;
using EventProcessor.Cli.Events;
using Spectre.Console;

namespace EventProcessor.Cli.Output;

/// <summary>Per-event reports of validate, send and redrive.</summary>
internal static class EventViews
{
    public static void WriteValidation(IAnsiConsole console, IReadOnlyList<EventItem> items)
    {
        foreach (var item in items)
        {
            Plain.Line(console, item.IsValid
                ? $"ok       {item.Source}: {item.Parsed!.Envelope.DetailType} -> workflow {item.Parsed.WorkflowId}"
                : $"invalid  {item.Source}: {item.Error}");
        }

        Plain.Line(console, $"{items.Count(i => i.IsValid)} valid, {items.Count(i => !i.IsValid)} invalid.");
    }

    public static void WriteSent(IAnsiConsole console, string sink, IReadOnlyList<SendResult> results)
    {
        foreach (var result in results)
        {
            Plain.Line(console, $"{(result.Accepted ? "sent  " : "FAILED")}  {result.Event.Source}: {result.Detail}");
        }

        Plain.Line(console, $"Sent to {sink}: {results.Count(r => r.Accepted)} accepted, {results.Count(r => !r.Accepted)} failed.");
    }

    public static void WriteRedriveLine(IAnsiConsole console, RedriveOutcome outcome) =>
        Plain.Line(console, $"{Label(outcome.Kind),-13} {outcome.MessageId}{(outcome.EventId is null ? string.Empty : $" (event {outcome.EventId})")}: {outcome.Detail}");

    public static void WriteRedriveSummary(IAnsiConsole console, IReadOnlyList<RedriveOutcome> outcomes, bool dryRun)
    {
        var poison = outcomes.Count(o => o.Kind == RedriveOutcomeKind.Poison);
        Plain.Line(console, dryRun
            ? $"Dry run: {outcomes.Count(o => o.Kind == RedriveOutcomeKind.WouldRedrive)} would be redriven, {poison} poison. Nothing was sent or deleted."
            : $"Redriven: {outcomes.Count(o => o.Kind == RedriveOutcomeKind.Redriven)}, not accepted (left in queue): {outcomes.Count(o => o.Kind == RedriveOutcomeKind.NotAccepted)}, poison (left in queue): {poison}.");
    }

    private static string Label(RedriveOutcomeKind kind) => kind switch
    {
        RedriveOutcomeKind.Redriven => "redriven",
        RedriveOutcomeKind.WouldRedrive => "would redrive",
        RedriveOutcomeKind.Poison => "poison",
        _ => "not accepted",
    };

    /// <summary><c>events validate</c> in the chosen format: one record per event (field names in docs/runbook.md).</summary>
    public static void WriteValidation(IAnsiConsole console, OutputFormat format, IReadOnlyList<EventItem> items)
    {
        if (format == OutputFormat.Table)
        {
            WriteValidation(console, items);
            return;
        }

        Outputs.Records(console, format, items.Select(i => (JsonNode)new JsonObject
        {
            ["source"] = i.Source,
            ["valid"] = i.IsValid,
            ["detailType"] = i.Parsed?.Envelope.DetailType,
            ["eventId"] = i.Parsed?.Envelope.Id,
            ["workflowId"] = i.Parsed?.WorkflowId,
            ["error"] = i.Error,
        }));
    }

    /// <summary>The <c>events redrive</c> summary in a JSON format: one record per message (field names in docs/runbook.md).</summary>
    public static void WriteRedrive(IAnsiConsole console, OutputFormat format, IReadOnlyList<RedriveOutcome> outcomes, bool dryRun)
    {
        var records = outcomes.Select(o => (JsonNode)new JsonObject
        {
            ["messageId"] = o.MessageId,
            ["eventId"] = o.EventId,
            ["outcome"] = o.Kind switch
            {
                RedriveOutcomeKind.Redriven => "redriven",
                RedriveOutcomeKind.WouldRedrive => "would-redrive",
                RedriveOutcomeKind.Poison => "poison",
                _ => "not-accepted",
            },
            ["detail"] = o.Detail,
        }).ToList();
        if (format == OutputFormat.Jsonl)
        {
            records.ForEach(r => Outputs.JsonLine(console, r));
            return;
        }

        Outputs.Json(console, new JsonObject
        {
            ["dryRun"] = dryRun,
            ["redriven"] = outcomes.Count(o => o.Kind == RedriveOutcomeKind.Redriven),
            ["wouldRedrive"] = outcomes.Count(o => o.Kind == RedriveOutcomeKind.WouldRedrive),
            ["notAccepted"] = outcomes.Count(o => o.Kind == RedriveOutcomeKind.NotAccepted),
            ["poison"] = outcomes.Count(o => o.Kind == RedriveOutcomeKind.Poison),
            ["outcomes"] = new JsonArray([.. records]),
        });
    }
}
