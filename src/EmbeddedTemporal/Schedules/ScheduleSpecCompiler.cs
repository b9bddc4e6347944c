using System.Globalization;
using EventProcessor.EmbeddedTemporal.Frontend;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Schedule.V1;

namespace EventProcessor.EmbeddedTemporal.Schedules;

/// <summary>
/// Turns a <see cref="ScheduleSpec"/> into its canonical form and a <see cref="CompiledSpec"/>, as the
/// server's spec builder does (service/worker/scheduler/spec.go <c>NewCompiledSpec</c>,
/// <c>CanonicalizeSpec</c>; calendar.go <c>parseCronString</c>, <c>makeRange</c>): cron strings and
/// string calendars become structured calendars, string fields are parsed and range-checked, and an
/// invalid spec is INVALID_ARGUMENT.
/// </summary>
/// <remarks>
/// Supported: structured and string calendars (second, minute, hour, day of month, month, year, day of
/// week; ranges with steps; month and weekday names), cron strings with 5, 6 or 7 fields, the
/// <c>@yearly</c>/<c>@monthly</c>/<c>@weekly</c>/<c>@daily</c>/<c>@hourly</c> shorthands, <c>@every</c>
/// (an interval) and a <c>CRON_TZ=</c> prefix, intervals with phase, excluded calendars, start and end
/// time, and time zones: UTC (an empty name) or any IANA name the host's time zone database knows.
/// In a zone with daylight saving, a local time in the spring-forward gap runs at the same wall time
/// an hour later and an ambiguous one at its first occurrence (Go's <c>time.Date</c> normalises the
/// same way for the gap). Jitter is accepted, kept in the spec and ignored: every action runs at its
/// nominal time (a real server delays each by a deterministic random part of the jitter).
/// </remarks>
internal static class ScheduleSpecCompiler
{
    private static readonly string[] s_monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] s_dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The canonical spec (structured calendars only) and its compiled form; INVALID_ARGUMENT when invalid.</summary>
    public static (ScheduleSpec Canonical, CompiledSpec Compiled) Compile(ScheduleSpec? spec)
    {
        var canonical = spec?.Clone() ?? new ScheduleSpec();
        try
        {
            Canonicalize(canonical);
            return (canonical, Build(canonical));
        }
        catch (FormatException ex)
        {
            throw RpcErrors.InvalidArgument($"Invalid schedule spec: {ex.Message}");
        }
    }

    private static void Canonicalize(ScheduleSpec spec)
    {
        foreach (var cron in spec.CronString)
        {
            ParseCron(cron, spec);
        }

        spec.CronString.Clear();
        foreach (var calendar in spec.Calendar)
        {
            spec.StructuredCalendar.Add(FromStringCalendar(calendar));
        }

        spec.Calendar.Clear();
#pragma warning disable CS0612 // exclude_calendar is deprecated but still part of the protocol
        foreach (var calendar in spec.ExcludeCalendar)
        {
            spec.ExcludeStructuredCalendar.Add(FromStringCalendar(calendar));
        }

        spec.ExcludeCalendar.Clear();
#pragma warning restore CS0612
        foreach (var interval in spec.Interval)
        {
            var every = interval.Interval?.ToTimeSpan() ?? TimeSpan.Zero;
            if (every < TimeSpan.FromSeconds(1))
            {
                throw new FormatException("interval is too small");
            }

            var phase = interval.Phase?.ToTimeSpan() ?? TimeSpan.Zero;
            if (phase < TimeSpan.Zero)
            {
                throw new FormatException("phase is negative");
            }

            if (phase >= every)
            {
                throw new FormatException("phase cannot be greater than Interval");
            }
        }

        if (spec.StartTime is { } start && spec.EndTime is { } end && end.ToDateTimeOffset() < start.ToDateTimeOffset())
        {
            throw new FormatException("EndTime is before StartTime");
        }

        if (spec.Jitter is { } jitter && jitter.ToTimeSpan() < TimeSpan.Zero)
        {
            throw new FormatException("Jitter is negative");
        }
    }

    private static CompiledSpec Build(ScheduleSpec spec)
    {
        var zone = TimeZone(spec.TimezoneName);
        var calendars = spec.StructuredCalendar.Select(c => CompiledCalendar.From(c, zone)).ToList();
        var excludes = spec.ExcludeStructuredCalendar.Select(c => CompiledCalendar.From(c, zone)).ToList();
        var intervals = spec.Interval.Select(i => (Every: (long)i.Interval.ToTimeSpan().TotalSeconds, Phase: (long)(i.Phase?.ToTimeSpan() ?? TimeSpan.Zero).TotalSeconds)).ToList();
        return new CompiledSpec(calendars, excludes, intervals, spec.StartTime?.ToDateTimeOffset(), spec.EndTime?.ToDateTimeOffset());
    }

    private static TimeZoneInfo TimeZone(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"unknown time zone {name}");
        }
    }

    /// <summary>
    /// A cron string: 5 fields (minute hour day-of-month month day-of-week), 6 (plus year) or 7
    /// (second first, year last), a shorthand, <c>@every interval[/phase]</c>, an optional
    /// <c>CRON_TZ=zone</c> prefix and a trailing <c># comment</c> (calendar.go <c>parseCronString</c>).
    /// </summary>
    private static void ParseCron(string cron, ScheduleSpec spec)
    {
        var text = cron.Trim();
        var comment = string.Empty;
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            comment = text[(hash + 1)..].Trim();
            text = text[..hash].Trim();
        }

        if (text.StartsWith("CRON_TZ=", StringComparison.Ordinal) || text.StartsWith("TZ=", StringComparison.Ordinal))
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                throw new FormatException($"invalid cron string: {cron}");
            }

            var zone = text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..space];
            if (!string.IsNullOrEmpty(spec.TimezoneName) && spec.TimezoneName != zone)
            {
                throw new FormatException("cron string time zone does not match the spec's time zone");
            }

            spec.TimezoneName = zone;
            text = text[(space + 1)..].Trim();
        }

        if (text.StartsWith("@every", StringComparison.Ordinal))
        {
            var parts = text["@every".Length..].Trim().Split('/');
            var every = ParseGoDuration(parts[0], cron);
            var phase = parts.Length > 1 ? ParseGoDuration(parts[1], cron) : TimeSpan.Zero;
            spec.Interval.Add(new IntervalSpec { Interval = Duration.FromTimeSpan(every), Phase = Duration.FromTimeSpan(phase) });
            return;
        }

        text = text switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ => text,
        };
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var calendar = fields.Length switch
        {
            5 => new CalendarSpec { Second = "0", Minute = fields[0], Hour = fields[1], DayOfMonth = fields[2], Month = fields[3], DayOfWeek = fields[4], Year = "*" },
            6 => new CalendarSpec { Second = "0", Minute = fields[0], Hour = fields[1], DayOfMonth = fields[2], Month = fields[3], DayOfWeek = fields[4], Year = fields[5] },
            7 => new CalendarSpec { Second = fields[0], Minute = fields[1], Hour = fields[2], DayOfMonth = fields[3], Month = fields[4], DayOfWeek = fields[5], Year = fields[6] },
            _ => throw new FormatException($"invalid cron string: {cron}"),
        };
        calendar.Comment = comment;
        spec.StructuredCalendar.Add(FromStringCalendar(calendar));
    }

    private static TimeSpan ParseGoDuration(string text, string cron)
    {
        var total = TimeSpan.Zero;
        var i = 0;
        text = text.Trim();
        if (text.Length == 0)
        {
            throw new FormatException($"invalid cron string: {cron}");
        }

        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            if (start == unitStart || !double.TryParse(text[start..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"invalid cron string: {cron}");
            }

            total += text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => throw new FormatException($"invalid cron string: {cron}"),
            };
        }

        return total;
    }

    /// <summary>A string calendar as a structured one; unset fields take the server's defaults (0 for time of day, every value otherwise).</summary>
    private static StructuredCalendarSpec FromStringCalendar(CalendarSpec calendar)
    {
        var structured = new StructuredCalendarSpec { Comment = calendar.Comment };
        structured.Second.AddRange(ParseField(Default(calendar.Second, "0"), 0, 59, null, "Second"));
        structured.Minute.AddRange(ParseField(Default(calendar.Minute, "0"), 0, 59, null, "Minute"));
        structured.Hour.AddRange(ParseField(Default(calendar.Hour, "0"), 0, 23, null, "Hour"));
        structured.DayOfMonth.AddRange(ParseField(Default(calendar.DayOfMonth, "*"), 1, 31, null, "DayOfMonth"));
        structured.Month.AddRange(ParseField(Default(calendar.Month, "*"), 1, 12, s_monthNames, "Month"));
        structured.Year.AddRange(ParseField(Default(calendar.Year, "*"), 1970, 2999, null, "Year"));
        structured.DayOfWeek.AddRange(ParseField(Default(calendar.DayOfWeek, "*"), 0, 7, s_dayNames, "DayOfWeek"));
        return structured;
    }

    private static string Default(string value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;

    private static List<Temporalio.Api.Schedule.V1.Range> ParseField(string field, int min, int max, string[]? names, string what)
    {
        var ranges = new List<Temporalio.Api.Schedule.V1.Range>();
        foreach (var item in field.Split(',', StringSplitOptions.TrimEntries))
        {
            var step = 1;
            var body = item;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    throw new FormatException($"{what}: invalid step in {item}");
                }

                body = item[..slash];
            }

            int start;
            int end;
            if (body is "*" or "?")
            {
                start = min;
                end = what == "DayOfWeek" ? 6 : max;
                if (what == "Year")
                {
                    // "*" for years means every year: an empty list, the structured default.
                    continue;
                }
            }
            else
            {
                var dash = body.IndexOf('-', StringComparison.Ordinal);
                start = ParseValue(dash >= 0 ? body[..dash] : body, names, what);
                end = dash >= 0 ? ParseValue(body[(dash + 1)..], names, what) : (slash >= 0 ? max : start);
            }

            if (start < min || start > max || end < min || end > max)
            {
                throw new FormatException($"{what} is out of range: {item}");
            }

            if (what == "DayOfWeek" && end == 7)
            {
                // 7 is Sunday too; structured calendars take 0-6.
                if (start < 7)
                {
                    ranges.Add(new Temporalio.Api.Schedule.V1.Range { Start = start, End = 6, Step = step });
                }

                if ((7 - start) % step == 0)
                {
                    ranges.Add(new Temporalio.Api.Schedule.V1.Range { Start = 0, End = 0, Step = 1 });
                }

                continue;
            }

            ranges.Add(new Temporalio.Api.Schedule.V1.Range { Start = start, End = end, Step = step });
        }

        return ranges;
    }

    private static int ParseValue(string text, string[]? names, string what)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        if (names is not null && text.Length >= 3)
        {
            var index = Array.IndexOf(names, text[..3].ToLowerInvariant());
            if (index >= 0)
            {
                return what == "Month" ? index + 1 : index;
            }
        }

        throw new FormatException($"{what}: invalid value {text}");
    }

    /// <summary>One structured calendar as sets of matching values, evaluated in its time zone.</summary>
    internal sealed class CompiledCalendar
    {
        private readonly bool[] _second = new bool[60];
        private readonly bool[] _minute = new bool[60];
        private readonly bool[] _hour = new bool[24];
        private readonly bool[] _dayOfMonth = new bool[32];
        private readonly bool[] _month = new bool[13];
        private readonly bool[] _dayOfWeek = new bool[7];
        private readonly List<Temporalio.Api.Schedule.V1.Range> _years = [];
        private int[] _hours = [];
        private int[] _minutes = [];
        private int[] _seconds = [];

        public required TimeZoneInfo Zone { get; init; }

        public static CompiledCalendar From(StructuredCalendarSpec spec, TimeZoneInfo zone)
        {
            var c = new CompiledCalendar { Zone = zone };
            Fill(c._second, spec.Second, 0, 59, 0, "Second");
            Fill(c._minute, spec.Minute, 0, 59, 0, "Minute");
            Fill(c._hour, spec.Hour, 0, 23, 0, "Hour");
            Fill(c._dayOfMonth, spec.DayOfMonth, 1, 31, null, "DayOfMonth");
            Fill(c._month, spec.Month, 1, 12, null, "Month");
            FillDaysOfWeek(c._dayOfWeek, spec.DayOfWeek);
            foreach (var year in spec.Year)
            {
                Check(year, 1970, 2999, "Year");
                var end = year.End < year.Start ? year.Start : year.End;
                c._years.Add(new Temporalio.Api.Schedule.V1.Range { Start = year.Start, End = end, Step = Math.Max(1, year.Step) });
            }

            c._hours = Enumerable.Range(0, 24).Where(h => c._hour[h]).ToArray();
            c._minutes = Enumerable.Range(0, 60).Where(m => c._minute[m]).ToArray();
            c._seconds = Enumerable.Range(0, 60).Where(s => c._second[s]).ToArray();
            return c;
        }

        /// <summary>
        /// Sets the values a field's ranges match (calendar.go <c>makeBitSet</c>): an end before the
        /// start means the start alone, a step of 0 means 1, an empty field its default.
        /// </summary>
        private static void Fill(bool[] set, IEnumerable<Temporalio.Api.Schedule.V1.Range> ranges, int min, int max, int? defaultValue, string what)
        {
            var any = false;
            foreach (var range in ranges)
            {
                any = true;
                Check(range, min, max, what);
                var end = range.End < range.Start ? range.Start : range.End;
                var step = Math.Max(1, range.Step);

                for (var v = range.Start; v <= end; v += step)
                {
                    set[v] = true;
                }
            }

            if (!any)
            {
                if (defaultValue is { } d)
                {
                    set[d] = true;
                }
                else
                {
                    for (var v = min; v <= max; v++)
                    {
                        set[v] = true;
                    }
                }
            }
        }

        /// <summary>spec.go <c>validateStructuredCalendar</c>: the start in range; an end, when set, not before the start and in range; no negative step.</summary>
        private static void Check(Temporalio.Api.Schedule.V1.Range range, int min, int max, string what)
        {
            if (range.Start < min || range.Start > max)
            {
                throw new FormatException($"invalid calendar spec: {what} Start is not in range [{min}-{max}]");
            }

            if (range.End != 0 && (range.End < range.Start || range.End > max))
            {
                throw new FormatException($"invalid calendar spec: {what} End is before Start or not in range [{min}-{max}]");
            }

            if (range.Step < 0)
            {
                throw new FormatException($"invalid calendar spec: {what} has invalid Step");
            }
        }

        private static void FillDaysOfWeek(bool[] set, IEnumerable<Temporalio.Api.Schedule.V1.Range> ranges)
        {
            var any = false;
            foreach (var range in ranges)
            {
                any = true;
                Check(range, 0, 6, "DayOfWeek");
                var end = range.End < range.Start ? range.Start : range.End;
                var step = Math.Max(1, range.Step);

                for (var v = range.Start; v <= end; v += step)
                {
                    set[v % 7] = true;
                }
            }

            if (!any)
            {
                Array.Fill(set, true);
            }
        }

        private bool MatchesYear(int year) =>
            _years.Count == 0 || _years.Any(r => year >= r.Start && year <= r.End && (year - r.Start) % r.Step == 0);

        private bool MatchesDay(DateTime localDate) =>
            MatchesYear(localDate.Year) && _month[localDate.Month] && _dayOfMonth[localDate.Day] && _dayOfWeek[(int)localDate.DayOfWeek];

        public bool Matches(DateTimeOffset time)
        {
            var local = TimeZoneInfo.ConvertTime(time, Zone).DateTime;
            return MatchesDay(local.Date) && _hour[local.Hour] && _minute[local.Minute] && _second[local.Second];
        }

        /// <summary>The first matching time strictly after <paramref name="after"/> (whole seconds), or null within the next 100 years.</summary>
        public DateTimeOffset? Next(DateTimeOffset after)
        {
            var from = after.AddSeconds(1);
            var localFrom = TimeZoneInfo.ConvertTime(from, Zone).DateTime;
            var day = localFrom.Date.AddDays(-1);
            for (var i = 0; i < 366 * 100; i++, day = day.AddDays(1))
            {
                if (!MatchesDay(day))
                {
                    continue;
                }

                // On the first day, hours (and minutes of the same hour) before the start cannot be
                // later than it; an hour of slack keeps daylight-saving shifts safe.
                var firstDay = day == localFrom.Date;
                foreach (var h in _hours)
                {
                    if (firstDay && h < localFrom.Hour - 1)
                    {
                        continue;
                    }

                    foreach (var m in _minutes)
                    {
                        if (firstDay && h == localFrom.Hour && m < localFrom.Minute)
                        {
                            continue;
                        }

                        foreach (var s in _seconds)
                        {
                            var utc = ToUtc(day.AddHours(h).AddMinutes(m).AddSeconds(s));
                            if (utc >= from)
                            {
                                return utc;
                            }
                        }
                    }
                }
            }

            return null;
        }

        private DateTimeOffset ToUtc(DateTime local)
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            if (Zone.IsInvalidTime(unspecified))
            {
                unspecified = unspecified.AddHours(1);
            }

            var offset = Zone.IsAmbiguousTime(unspecified) ? Zone.GetAmbiguousTimeOffsets(unspecified).Max() : Zone.GetUtcOffset(unspecified);
            return new DateTimeOffset(unspecified, offset).ToUniversalTime();
        }
    }
}

/// <summary>
/// A compiled spec: the next action time after a given time (spec.go <c>CompiledSpec.GetNextTime</c>):
/// the earliest time any calendar or interval matches, not matched by an excluded calendar, at or
/// after the start time and at or before the end time. Whole seconds, as the server computes them.
/// </summary>
internal sealed class CompiledSpec(
    IReadOnlyList<ScheduleSpecCompiler.CompiledCalendar> calendars,
    IReadOnlyList<ScheduleSpecCompiler.CompiledCalendar> excludes,
    IReadOnlyList<(long Every, long Phase)> intervals,
    DateTimeOffset? startTime,
    DateTimeOffset? endTime)
{
    public DateTimeOffset? GetNextTime(DateTimeOffset after)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(after.ToUnixTimeSeconds());
        if (startTime is { } start && t < start)
        {
            // The start time itself may match.
            t = DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds() - (start.ToUnixTimeMilliseconds() % 1000 == 0 ? 1 : 0));
        }

        for (var guard = 0; guard < 100_000; guard++)
        {
            DateTimeOffset? next = null;
            foreach (var calendar in calendars)
            {
                if (calendar.Next(t) is { } c && (next is null || c < next))
                {
                    next = c;
                }
            }

            var seconds = t.ToUnixTimeSeconds();
            foreach (var (every, phase) in intervals)
            {
                var n = (FloorDiv(seconds - phase, every) + 1) * every + phase;
                var candidate = DateTimeOffset.FromUnixTimeSeconds(n);
                if (next is null || candidate < next)
                {
                    next = candidate;
                }
            }

            if (next is not { } found || (endTime is { } end && found > end))
            {
                return null;
            }

            if (excludes.Any(e => e.Matches(found)))
            {
                t = found;
                continue;
            }

            return found;
        }

        return null;
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
