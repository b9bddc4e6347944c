namespace EventProcessor.DownstreamStubs;

/// <summary>
/// Writes that are applied but answered with a 5xx, as a gateway does when the backend wrote and the
/// answer was lost: the caller cannot tell that the write happened. Deterministic: either every
/// <c>n</c>th write, or a seeded random share of writes, so a test sees the same faults on every run.
/// </summary>
public sealed class StubWriteFaults
{
    private readonly Lock gate = new();
    private readonly Func<int, bool> decide;
    private int writes;
    private int faulted;

    private StubWriteFaults(int status, Func<int, bool> decide)
    {
        Status = status;
        this.decide = decide;
    }

    /// <summary>The status answered for a faulted write (502 by default).</summary>
    public int Status { get; }

    /// <summary>Writes seen so far.</summary>
    public int Writes
    {
        get
        {
            lock (gate)
            {
                return writes;
            }
        }
    }

    /// <summary>Writes applied but answered <see cref="Status"/> so far.</summary>
    public int Faulted
    {
        get
        {
            lock (gate)
            {
                return faulted;
            }
        }
    }

    /// <summary>Every <paramref name="n"/>th write (the n-th, 2n-th, ...) is applied and answered <paramref name="status"/>.</summary>
    public static StubWriteFaults EveryNth(int n, int status = 502)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return new StubWriteFaults(status, write => write % n == 0);
    }

    /// <summary>A share of writes (e.g. 0.4), drawn from a random sequence fixed by <paramref name="seed"/>.</summary>
    public static StubWriteFaults Share(double share, int seed, int status = 502)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        var random = new Random(seed);
        return new StubWriteFaults(status, _ => random.NextDouble() < share);
    }

    /// <summary>Counts a write that has just been applied; true when its answer is to be the fault.</summary>
    public bool NextWriteFails()
    {
        lock (gate)
        {
            writes++;
            if (!decide(writes))
            {
                return false;
            }

            faulted++;
            return true;
        }
    }
}
