using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Converters;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>
/// The process's one Temporal client, connected on first use and reused by every invocation.
/// Connecting lazily keeps the connection out of Lambda's init phase (and after a SnapStart
/// restore, not before); a failed connection is forgotten so the next invocation tries again.
/// </summary>
public sealed class TemporalClientProvider
{
    /// <summary>A connection attempt that hangs (a frontend that accepts but never answers) is abandoned after this, so a later event tries afresh.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly TemporalSettings settings;
    private readonly DataConverter dataConverter;
    private readonly ILoggerFactory? loggerFactory;
    private readonly Lock gate = new();
    private Task<ITemporalClient>? connecting;

    /// <param name="dataConverter">The product's shared converter (EventProcessorDataConverter), so the worker can read what this client writes.</param>
    public TemporalClientProvider(TemporalSettings settings, DataConverter dataConverter, ILoggerFactory? loggerFactory = null)
    {
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        this.dataConverter = dataConverter ?? throw new ArgumentNullException(nameof(dataConverter));
        this.loggerFactory = loggerFactory;
    }

    public TemporalSettings Settings => settings;

    /// <summary>The client; waiting for the connection ends when <paramref name="cancellationToken"/> does.</summary>
    public Task<ITemporalClient> GetClientAsync(CancellationToken cancellationToken)
    {
        Task<ITemporalClient> task;
        lock (gate)
        {
            if (connecting is null || connecting.IsFaulted || connecting.IsCanceled)
            {
                connecting = ConnectAsync();
            }

            task = connecting;
        }

        return task.IsCompletedSuccessfully ? task : task.WaitAsync(cancellationToken);
    }

    private async Task<ITemporalClient> ConnectAsync()
    {
        var options = settings.ToConnectOptions(loggerFactory);
        options.DataConverter = dataConverter;
        return await TemporalClient.ConnectAsync(options).WaitAsync(ConnectTimeout).ConfigureAwait(false);
    }
}
