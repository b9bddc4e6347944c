using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.EmbeddedTemporal;

/// <summary>Options for <see cref="EmbeddedTemporalServer"/>.</summary>
public sealed class EmbeddedTemporalOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Extra namespaces to create; <c>default</c> always exists.</summary>
    public IList<string> Namespaces { get; } = new List<string>();

    /// <summary>Custom search attributes registered in every namespace at start.</summary>
    public IDictionary<string, IndexedValueType> SearchAttributes { get; } = new Dictionary<string, IndexedValueType>(StringComparer.Ordinal);

    /// <summary>Logger factory; null keeps the server silent.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Run the server on a clock that skips ahead to the next timer while no workflow or activity
    /// task is outstanding and skipping is unlocked, and serve Temporal's TestService to control it
    /// (lock, unlock, sleep, current time). The server starts with skipping locked once, as the Java
    /// test server does; a test client unlocks it while it waits for a result. Off by default: the
    /// server then runs on the system clock and has no TestService, like a real server.
    /// </summary>
    public bool TimeSkipping { get; set; }

    /// <summary>How long an idle long poll waits before answering empty (the SDK's deadline is 70 s).</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
