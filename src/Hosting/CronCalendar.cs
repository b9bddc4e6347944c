using System.Globalization;
using Temporalio.Client.Schedules;

namespace EventProcessor.Hosting;

/// <summary>
/// A five-field cron expression (<c>minute hour day-of-month month day-of-week</c>, numbers, <c>*</c>,
/// lists, ranges and steps) as a Temporal calendar spec, and back to text for display. Calendars,
/// not cron strings, go to the server: they are Temporal's own form of a schedule's times.
/// </summary>
public static class CronCalendar
{
    private static readonly (string Name, int Min, int Max)[] Fields =
    [
        ("minute", 0, 59),
        ("hour", 0, 23),
        ("day of month", 1, 31),
        ("month", 1, 12),
        ("day of week", 0, 7),
    ];

    /// <summary>Parses <paramref name="cron"/>; the exception's message says what is wrong.</summary>
    /// <exception cref="FormatException">Not five fields of numbers, <c>*</c>, lists, ranges and steps.</exception>
    public static ScheduleCalendarSpec Parse(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var parts = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 5)
        {
            throw new FormatException($"'{cron}' is not a five-field cron expression (minute hour day-of-month month day-of-week), e.g. '0 3 * * *'.");
        }

        var ranges = parts.Select((part, i) => Field(part, Fields[i])).ToArray();
        if (parts[2] != "*" && parts[4] != "*")
        {
            // Cron runs when either day field matches, a calendar only when both do: refuse the ambiguity.
            throw new FormatException($"'{cron}' restricts both the day of month and the day of week; restrict one of them.");
        }

        return new ScheduleCalendarSpec
        {
            Second = [new ScheduleRange(0)],
            Minute = ranges[0],
            Hour = ranges[1],
            DayOfMonth = ranges[2],
            Month = ranges[3],
            DayOfWeek = [.. ranges[4].Select(r => r.Start == 7 && r.End <= 7 ? new ScheduleRange(0) : r)],
            Comment = cron.Trim(),
        };
    }

    /// <summary>A schedule spec as one line, e.g. <c>0 3 * * * (UTC)</c>.</summary>
    public static string Describe(ScheduleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Calendars.Select(Describe)
            .Concat(spec.CronExpressions)
            .Concat(spec.Intervals.Select(i => $"every {i.Every}"))
            .ToList();
        var text = parts.Count == 0 ? "(no times)" : string.Join("; ", parts);
        return $"{text} ({(string.IsNullOrEmpty(spec.TimeZoneName) ? "UTC" : spec.TimeZoneName)})";
    }

    private static string Describe(ScheduleCalendarSpec calendar) =>
        string.Join(' ', Text(calendar.Minute, 0, 59), Text(calendar.Hour, 0, 23), Text(calendar.DayOfMonth, 1, 31), Text(calendar.Month, 1, 12), Text(calendar.DayOfWeek, 0, 6));

    private static string Text(IReadOnlyCollection<ScheduleRange> ranges, int min, int max)
    {
        if (ranges.Count == 1 && ranges.First() is var only && only.Start == min && only.End >= max && only.Step <= 1)
        {
            return "*";
        }

        return string.Join(',', ranges.Select(r =>
        {
            var end = Math.Max(r.Start, r.End);
            var span = end == r.Start ? r.Start.ToString(CultureInfo.InvariantCulture) : $"{r.Start}-{end}";
            return r.Step > 1 ? $"{span}/{r.Step}" : span;
        }));
    }

    private static List<ScheduleRange> Field(string text, (string Name, int Min, int Max) field)
    {
        var ranges = new List<ScheduleRange>();
        foreach (var item in text.Split(','))
        {
            var (span, step) = item.Split('/') switch
            {
                [var s] => (s, 1),
                [var s, var n] when Number(n, 1, field.Max) is { } k => (s, k),
                _ => throw Bad(text, field),
            };
            int start, end;
            if (span == "*")
            {
                (start, end) = (field.Min, field.Name == "day of week" ? 6 : field.Max);
            }
            else if (span.Split('-') is [var a, var b] && Number(a, field.Min, field.Max) is { } from && Number(b, from, field.Max) is { } to)
            {
                (start, end) = (from, to);
            }
            else if (Number(span, field.Min, field.Max) is { } single)
            {
                (start, end) = (single, item.Contains('/', StringComparison.Ordinal) ? field.Max : single);
            }
            else
            {
                throw Bad(text, field);
            }

            ranges.Add(new ScheduleRange(start, end, step));
        }

        return ranges;
    }

    private static int? Number(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static FormatException Bad(string text, (string Name, int Min, int Max) field) =>
        new($"'{text}' is not a valid {field.Name} field: use numbers from {field.Min} to {field.Max}, '*', lists (1,5), ranges (1-5) and steps (*/15).");
}
