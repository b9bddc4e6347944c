using System.CommandLine;

namespace EventProcessor.Cli.Commands;

/// <summary>Options every command understands, and the list filters shared by <c>runs list</c> and <c>runs rerun</c>.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Address = new("--address")
    {
        Description = "Temporal frontend host:port (overrides Temporal:Address; default localhost:7233).",
        Recursive = true,
    };

    public static readonly Option<string?> Namespace = new("--namespace", "-n")
    {
        Description = "Temporal namespace (overrides Temporal:Namespace; default 'default').",
        Recursive = true,
    };

    public static Option<double?> Rate() => new("--rate")
    {
        Description = "At most N calls per second.",
    };
}

/// <summary>The options behind <see cref="Runs.RunFilters"/>; one instance per command that lists runs.</summary>
internal sealed class RunFilterOptions
{
    public Option<string[]> Status { get; } = new("--status") { Description = "Execution status: Running, Completed, Failed, Canceled, Terminated, TimedOut, ContinuedAsNew (repeatable).", AllowMultipleArgumentsPerToken = false };

    public Option<string?> Type { get; } = new("--type") { Description = "Event type, e.g. TicketCommentedEvent or TicketCommented." };

    public Option<string?> Ticket { get; } = new("--ticket") { Description = "Jira ticket key (search attribute TicketKey), e.g. SUP-1234." };

    public Option<string?> Project { get; } = new("--project") { Description = "Project UUID (search attribute ProjectUuid)." };

    public Option<string?> Report { get; } = new("--report") { Description = "Report id (search attribute ReportId)." };

    public Option<string?> EventId { get; } = new("--event-id") { Description = "The EventBridge event id (search attribute EventId)." };

    public Option<string?> Since { get; } = new("--since") { Description = "Started at or after: a date-time (2026-11-25T08:00Z) or an age (30m, 6h, 2d)." };

    public Option<string?> Until { get; } = new("--until") { Description = "Started at or before: a date-time or an age." };

    public Option<string?> Query { get; } = new("--query", "-q") { Description = "A raw Temporal visibility query, ANDed with the other filters." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Status, Type, Ticket, Project, Report, EventId, Since, Until, Query })
        {
            command.Options.Add(option);
        }
    }

    public Runs.RunFilters Read(ParseResult parsed, DateTimeOffset now) => Runs.RunFilters.Create(
        parsed.GetValue(Status) ?? [],
        parsed.GetValue(Type),
        parsed.GetValue(Ticket),
        parsed.GetValue(Project),
        parsed.GetValue(Report),
        parsed.GetValue(EventId),
        parsed.GetValue(Since),
        parsed.GetValue(Until),
        parsed.GetValue(Query),
        now);
}
