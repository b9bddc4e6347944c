using EventProcessor.Cli.Runs;
using Microsoft.Extensions.Time.Testing;

namespace EventProcessor.Cli.Tests.Runs;

public sealed class PacerTests
{
    [Fact]
    public async Task At_two_per_second_the_first_call_goes_at_once_and_the_next_waits_half_a_second()
    {
        var time = new FakeTimeProvider();
        var pacer = new Pacer(2, time);

        await pacer.WaitAsync(CancellationToken.None);
        var second = pacer.WaitAsync(CancellationToken.None);

        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        var third = pacer.WaitAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await third;
    }

    [Fact]
    public async Task Without_a_rate_no_call_waits()
    {
        var pacer = new Pacer(null, new FakeTimeProvider());

        for (var i = 0; i < 100; i++)
        {
            Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        await Task.CompletedTask;
    }
}
