using System.Globalization;
using System.Text;
using EventProcessor.Events.Catalog;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// The list filters of <c>runs list</c> and <c>runs rerun</c>, already checked. They become one
/// Temporal visibility query over the product's search attributes, ANDed with a raw <c>--query</c>.
/// </summary>
public sealed record RunFilters(
    IReadOnlyList<string> Statuses,
    string? EventType,
    string? TicketKey,
    string? ProjectUuid,
    string? ReportId,
    string? EventId,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    string? RawQuery)
{
    /// <summary>Temporal's names for execution statuses, as visibility queries spell them.</summary>
    public static readonly IReadOnlyList<string> KnownStatuses = ["Running", "Completed", "Failed", "Canceled", "Terminated", "ContinuedAsNew", "TimedOut"];

    public static RunFilters None { get; } = new([], null, null, null, null, null, null, null, null);

    public bool IsEmpty => ToQuery().Length == 0;

    /// <summary>Whether a filter other than the status was given (the status alone is too broad to re-run).</summary>
    public bool SelectsBeyondStatus =>
        EventType is not null || TicketKey is not null || ProjectUuid is not null || ReportId is not null || EventId is not null
        || Since is not null || Until is not null || RawQuery is not null;

    public string ToQuery()
    {
        var clauses = new List<string>();
        if (Statuses.Count == 1)
        {
            clauses.Add($"ExecutionStatus = '{Statuses[0]}'");
        }
        else if (Statuses.Count > 1)
        {
            clauses.Add("(" + string.Join(" OR ", Statuses.Select(s => $"ExecutionStatus = '{s}'")) + ")");
        }

        Add(clauses, EventSearchAttributes.EventType.Name, EventType);
        Add(clauses, EventSearchAttributes.TicketKey.Name, TicketKey);
        Add(clauses, EventSearchAttributes.ProjectUuid.Name, ProjectUuid);
        Add(clauses, EventSearchAttributes.ReportId.Name, ReportId);
        Add(clauses, EventSearchAttributes.EventId.Name, EventId);
        if (Since is { } since)
        {
            clauses.Add($"StartTime >= '{Rfc3339(since)}'");
        }

        if (Until is { } until)
        {
            clauses.Add($"StartTime <= '{Rfc3339(until)}'");
        }

        if (RawQuery is not null)
        {
            clauses.Add($"({RawQuery})");
        }

        return string.Join(" AND ", clauses);
    }

    /// <summary>Checks and normalises what was typed; every problem is a usage error naming the option.</summary>
    public static RunFilters Create(
        IEnumerable<string> statuses, string? eventType, string? ticket, string? project, string? report, string? eventId,
        string? since, string? until, string? query, DateTimeOffset now)
    {
        var normalisedStatuses = statuses.Select(NormaliseStatus).Distinct(StringComparer.Ordinal).ToList();
        var fromTime = ParseTime("--since", since, now);
        var toTime = ParseTime("--until", until, now);
        if (fromTime is not null && toTime is not null && fromTime > toTime)
        {
            throw new CliUsageException($"--since ({fromTime:O}) is after --until ({toTime:O}): no run can match.");
        }

        return new RunFilters(
            normalisedStatuses,
            eventType is null ? null : NormaliseEventType(eventType),
            Value("--ticket", ticket),
            Value("--project", project),
            Value("--report", report),
            Value("--event-id", eventId),
            fromTime,
            toTime,
            string.IsNullOrWhiteSpace(query) ? null : query.Trim());
    }

    private static string NormaliseStatus(string status)
    {
        var match = KnownStatuses.FirstOrDefault(s => string.Equals(s, status.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        return match ?? throw new CliUsageException($"--status '{status}' is not an execution status; use one of {string.Join(", ", KnownStatuses)}.");
    }

    // Support staff type the short name they see in workflow ids (TicketCommented) as often as the detail-type.
    private static string NormaliseEventType(string eventType)
    {
        var text = eventType.Trim();
        foreach (var candidate in new[] { text, text + "Event", text.EndsWith("Workflow", StringComparison.Ordinal) ? text[..^"Workflow".Length] : text })
        {
            var match = EventCatalog.All.FirstOrDefault(d => string.Equals(d.DetailType, candidate, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match.DetailType;
            }
        }

        throw new CliUsageException($"--type '{eventType}' is not an event type of the catalog (e.g. TicketCommentedEvent or TicketCommented).");
    }

    private static string? Value(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new CliUsageException($"{option} must not be empty.");
        }

        // Values are pasted into a query between quotes; a quote would end the literal early.
        if (text.Contains('\'', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal))
        {
            throw new CliUsageException($"{option} '{value}' must not contain quotes.");
        }

        return text;
    }

    /// <summary>An ISO-8601 date-time (UTC unless an offset is given) or an age such as 30m, 6h, 2d.</summary>
    private static DateTimeOffset? ParseTime(string option, string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        if (value.Length >= 2 && char.IsAsciiLetter(value[^1])
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = char.ToLowerInvariant(value[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                'w' => TimeSpan.FromDays(7 * amount),
                _ => null,
            };
            if (age is { } span)
            {
                return now - span;
            }
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliUsageException($"{option} '{text}' is neither a date-time (2026-11-25T08:00:00Z) nor an age (30m, 6h, 2d, 1w).");
    }

    private static void Add(List<string> clauses, string attribute, string? value)
    {
        if (value is not null)
        {
            clauses.Add($"{attribute} = '{value}'");
        }
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Query = ").Append(ToQuery());
        return true;
    }
}
