using System.Collections.Concurrent;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Activities;
using Temporalio.Testing;

namespace EventProcessor.Activities.Tests.Downstream;

/// <summary>
/// <see cref="ActivityHeartbeat"/> keeps a batch heartbeating between its items, so a long SMTP or
/// HTTP step is not mistaken for a dead worker, and stops when the batch ends.
/// </summary>
public sealed class ActivityHeartbeatTests
{
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Heartbeats_the_latest_progress_within_the_heartbeat_timeout_while_an_item_is_slow()
    {
        var time = new FakeTimeProvider();
        var beats = new ConcurrentQueue<object?>();
        using var beat = new SemaphoreSlim(0);
        var environment = Environment(beats, beat);

        await environment.RunAsync(async () =>
        {
            await using var heartbeat = ActivityHeartbeat.Start(ActivityExecutionContext.Current, "resume-from-3", time);

            // An item that takes longer than the heartbeat timeout: without heartbeats in between the server would time the attempt out.
            time.Advance(HeartbeatTimeout / 3);
            Assert.True(await beat.WaitAsync(Guard), "no heartbeat a third of the heartbeat timeout into a slow item");
            Assert.Equal("resume-from-3", beats.Last());

            heartbeat.Report("resume-from-4");
            Assert.True(await beat.WaitAsync(Guard));
            time.Advance(HeartbeatTimeout / 3);
            Assert.True(await beat.WaitAsync(Guard), "no heartbeat after the progress was reported");
            Assert.Equal("resume-from-4", beats.Last());
        });

        // Disposed with the batch (disposal waits for the loop to end): no heartbeat for an attempt that has ended.
        var count = beats.Count;
        time.Advance(HeartbeatTimeout);
        Assert.Equal(count, beats.Count);
    }

    [Fact]
    public async Task Without_progress_yet_it_heartbeats_no_details()
    {
        var time = new FakeTimeProvider();
        var beats = new ConcurrentQueue<object?>();
        using var beat = new SemaphoreSlim(0);

        await Environment(beats, beat).RunAsync(async () =>
        {
            await using var heartbeat = ActivityHeartbeat.Start(ActivityExecutionContext.Current, null, time);
            time.Advance(HeartbeatTimeout / 3);
            Assert.True(await beat.WaitAsync(Guard));
        });

        Assert.Null(beats.Single());
    }

    [Fact]
    public async Task An_activity_without_a_heartbeat_timeout_only_heartbeats_what_it_reports()
    {
        var time = new FakeTimeProvider();
        var beats = new ConcurrentQueue<object?>();
        using var beat = new SemaphoreSlim(0);
        var environment = Environment(beats, beat);
        environment = environment with { Info = environment.Info with { HeartbeatTimeout = null } };

        await environment.RunAsync(async () =>
        {
            await using var heartbeat = ActivityHeartbeat.Start(ActivityExecutionContext.Current, "p", time);
            time.Advance(TimeSpan.FromHours(1));
            heartbeat.Report("q");
        });

        Assert.Equal(["q"], beats);
    }

    private static ActivityEnvironment Environment(ConcurrentQueue<object?> beats, SemaphoreSlim beat) => new()
    {
        Info = ActivityEnvironment.DefaultInfo with { HeartbeatTimeout = HeartbeatTimeout },
        Heartbeater = details =>
        {
            beats.Enqueue(details.Length == 0 ? null : details[0]);
            beat.Release();
        },
    };
}
