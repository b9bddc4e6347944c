namespace EventProcessor.TestSupport;

/// <summary>Waits on a condition by polling it until a deadline, instead of sleeping blindly.</summary>
public static class Eventually
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Polls <paramref name="condition"/> until it is true; throws <see cref="TimeoutException"/> at the deadline.</summary>
    public static async Task Async(Func<Task<bool>> condition, TimeSpan timeout, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what ?? "the condition"}.");
            }

            await Task.Delay(s_interval);
        }
    }

    /// <summary>Polls a synchronous condition.</summary>
    public static Task Async(Func<bool> condition, TimeSpan timeout, string? what = null) =>
        Async(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="probe"/> until its value satisfies <paramref name="accept"/>, then returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(accept);
        T value = default!;
        await Async(
            async () =>
            {
                value = await probe();
                return accept(value);
            },
            timeout,
            what);
        return value;
    }
}
