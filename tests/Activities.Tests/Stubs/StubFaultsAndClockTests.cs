using EventProcessor.DownstreamStubs;

namespace EventProcessor.Activities.Tests.Stubs;

/// <summary>The fault injection and the clock the stand-ins share: deterministic, and waits take no real time.</summary>
public sealed class StubFaultsAndClockTests
{
    [Fact]
    public void A_seeded_share_of_faults_is_the_same_on_every_run_and_near_the_share()
    {
        var first = StubWriteFaults.Share(0.4, seed: 17);
        var second = StubWriteFaults.Share(0.4, seed: 17);

        var a = Enumerable.Range(0, 200).Select(_ => first.NextWriteFails()).ToList();
        var b = Enumerable.Range(0, 200).Select(_ => second.NextWriteFails()).ToList();

        Assert.Equal(a, b);
        Assert.Equal(200, first.Writes);
        Assert.InRange(first.Faulted, 60, 100);
        Assert.Equal(a.Count(f => f), first.Faulted);
    }

    [Fact]
    public void Every_nth_write_faults()
    {
        var faults = StubWriteFaults.EveryNth(3);

        var outcomes = Enumerable.Range(0, 7).Select(_ => faults.NextWriteFails()).ToList();

        Assert.Equal([false, false, true, false, false, true, false], outcomes);
        Assert.Equal(502, faults.Status);
    }

    [Fact]
    public async Task A_wait_on_the_stand_in_clock_moves_it_on_instead_of_taking_time()
    {
        var clock = new StandInClock();
        var before = clock.GetUtcNow();

        await Task.Delay(TimeSpan.FromMinutes(2), clock);

        Assert.Equal(TimeSpan.FromMinutes(2), clock.Offset);
        Assert.True(clock.GetUtcNow() - before >= TimeSpan.FromMinutes(2));
    }
}
