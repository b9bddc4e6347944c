using System.Collections.Concurrent;
using System.Diagnostics;
using Temporalio.Activities;
using Temporalio.Worker.Interceptors;

namespace EventProcessor.Benchmarks.Pipeline;

/// <summary>
/// The pipeline benchmark's baseline: while recording, every activity runs for real and its
/// result is kept by (workflow type, activity id); while replaying, an activity with a recorded
/// result returns it at once without running. The workflows are unchanged, so the baseline has
/// the same number and shape of activities (and workflow tasks, timers, payloads) as the mix,
/// minus our own activity code: HTTP clients, serialization, encryption, templates.
/// </summary>
internal sealed class ActivityReplay : IWorkerInterceptor
{
    private readonly ConcurrentDictionary<(string WorkflowType, string ActivityId), object?> results = new();
    private readonly ConcurrentDictionary<string, long[]> timings = new(StringComparer.Ordinal);
    private volatile bool replaying;
    private long replayed;
    private long executed;

    public bool Replaying
    {
        get => replaying;
        set => replaying = value;
    }

    public int Recorded => results.Count;

    public long Replayed => Interlocked.Read(ref replayed);

    public long Executed => Interlocked.Read(ref executed);

    /// <summary>Activities run for real so far: type, count and total time, most expensive first (where the mix spends what the baseline saves).</summary>
    public IReadOnlyList<(string ActivityType, long Count, TimeSpan Total)> Timings() =>
        [.. timings.Select(t => (t.Key, Interlocked.Read(ref t.Value[0]), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref t.Value[1])))).OrderByDescending(t => t.Item3)];

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new Inbound(this, nextInterceptor);

    private sealed class Inbound(ActivityReplay owner, ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = ActivityExecutionContext.Current.Info;
            var key = (info.WorkflowType ?? string.Empty, info.ActivityId);
            if (owner.replaying && owner.results.TryGetValue(key, out var recorded))
            {
                Interlocked.Increment(ref owner.replayed);
                return recorded;
            }

            Interlocked.Increment(ref owner.executed);
            var started = Stopwatch.GetTimestamp();
            var result = await base.ExecuteActivityAsync(input).ConfigureAwait(false);
            var timing = owner.timings.GetOrAdd(info.ActivityType, _ => new long[2]);
            Interlocked.Increment(ref timing[0]);
            Interlocked.Add(ref timing[1], Stopwatch.GetTimestamp() - started);
            if (!owner.replaying)
            {
                owner.results[key] = result;
            }

            return result;
        }
    }
}
