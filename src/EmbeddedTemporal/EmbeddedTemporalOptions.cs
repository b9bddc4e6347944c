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

    /// <summary>How long an idle long poll waits before answering empty (the SDK's deadline is 70 s).</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
