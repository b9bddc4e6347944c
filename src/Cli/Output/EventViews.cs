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
}
