using System.Collections.Concurrent;
using EventProcessor.EmbeddedTemporal.Matching;
using EventProcessor.EmbeddedTemporal.Timers;
using Microsoft.Extensions.Logging;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>Services every execution uses: the clock, timers, task queues and the namespaces.</summary>
internal sealed class ServerContext
{
    private readonly ConcurrentDictionary<string, TemporalNamespace> _namespaces = new(StringComparer.Ordinal);

    public ServerContext(TimeProvider time, TimerService timers, MatchingService matching, ILoggerFactory loggerFactory, EmbeddedTemporalOptions options, TimeSkipping? skipping = null)
    {
        Time = time;
        Skipping = skipping;
        skipping?.SetOutstandingWorkCheck(HasOutstandingTasks);
        Timers = timers;
        Matching = matching;
        LoggerFactory = loggerFactory;
        Options = options;
        Logger = loggerFactory.CreateLogger("EventProcessor.EmbeddedTemporal");
    }

    /// <summary>The server's clock: every timer, timeout and event time follows it.</summary>
    public TimeProvider Time { get; }

    /// <summary>Set when the server runs with time skipping (<see cref="EmbeddedTemporalOptions.TimeSkipping"/>).</summary>
    public TimeSkipping? Skipping { get; }

    /// <summary>Wall time, for what a caller waits on in real time (long polls), whatever the server's clock says.</summary>
    public static DateTimeOffset WallNow => TimeProvider.System.GetUtcNow();

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the server stops: long polls answer at once instead of holding shutdown up.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Stop() => _stopping.Cancel();

    /// <summary>A token for a long poll: the call's own cancellation or the server stopping.</summary>
    public CancellationTokenSource LinkToStopping(CancellationToken callToken) => CancellationTokenSource.CreateLinkedTokenSource(callToken, _stopping.Token);

    public TimerService Timers { get; }

    public MatchingService Matching { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public EmbeddedTemporalOptions Options { get; }

    /// <summary>Queries waiting for a worker's answer, by query id.</summary>
    public ConcurrentDictionary<string, QueryTask> PendingQueries { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Time.GetUtcNow();

    public IEnumerable<TemporalNamespace> Namespaces => _namespaces.Values;

    public TemporalNamespace AddNamespace(string name) => _namespaces.GetOrAdd(name, n => new TemporalNamespace(n, this));

    /// <summary>
    /// Whether any workflow or activity task is scheduled or started, in any namespace: while one is,
    /// time does not skip (an activity in a retry backoff or a run in its first-task backoff waits on a
    /// timer, which is what skipping is for).
    /// </summary>
    public bool HasOutstandingTasks()
    {
        foreach (var ns in _namespaces.Values)
        {
            lock (ns.Sync)
            {
                foreach (var run in ns.AllRuns)
                {
                    if (!run.IsRunning)
                    {
                        continue;
                    }

                    if (run.Task.State != WorkflowTaskState.None
                        || run.Activities.Pending.Any(a => a.State is ActivityState.Scheduled or ActivityState.Started))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    public bool TryGetNamespace(string name, out TemporalNamespace ns) => _namespaces.TryGetValue(name, out ns!);
}
