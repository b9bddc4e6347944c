using System.Globalization;

namespace EventProcessor.DevHost;

/// <summary>Prints the local run's results as a plain-text table, one row per sample, failures explained below it.</summary>
public static class ResultTable
{
    public static void Write(TextWriter output, IReadOnlyList<SampleResult> rows, bool countsKnown)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        string[] header = ["Event type", "Workflow id", "Status", "Downstream calls", "Duration"];
        var cells = rows.Select(r => new[]
        {
            r.DetailType,
            r.WorkflowId ?? "-",
            r.Status.ToString(),
            countsKnown ? Calls(r) : "n/a (real endpoints)",
            $"{r.Duration.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        string Line(string[] values) => string.Join(" | ", values.Select((v, i) => v.PadRight(widths[i]))).TrimEnd();

        output.WriteLine(Line(header));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        cells.ForEach(c => output.WriteLine(Line(c)));
        var completed = rows.Count(r => r.Status == SampleStatus.Completed);
        output.WriteLine();
        output.WriteLine($"{completed} of {rows.Count} samples completed.");
        foreach (var failed in rows.Where(r => r.Status != SampleStatus.Completed))
        {
            output.WriteLine($"  {failed.DetailType}: {failed.Status}: {failed.Error}");
        }
    }

    private static string Calls(SampleResult row) =>
        row.TotalDownstreamCalls == 0
            ? "0"
            : $"{row.TotalDownstreamCalls} ({string.Join(", ", row.DownstreamCalls.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}"))})";
}
