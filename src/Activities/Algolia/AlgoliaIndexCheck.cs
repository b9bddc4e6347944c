using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Algolia;

/// <summary>
/// Whether the configured projects index exists. A partial update of a missing index silently
/// creates it, so a misspelt index name would otherwise go unnoticed: the worker's readiness calls
/// this and is not ready while <c>GET /1/indexes/{index}/settings</c> answers 404. A positive answer
/// is kept for five minutes so probes do not call Algolia every few seconds.
/// </summary>
public sealed class AlgoliaIndexCheck(IServiceProvider services, IOptions<AlgoliaOptions> options, TimeProvider time)
{
    private static readonly TimeSpan KeepReady = TimeSpan.FromMinutes(5);

    private DateTimeOffset readyUntil = DateTimeOffset.MinValue;

    /// <summary>Ready, or why not (naming the index).</summary>
    public async Task<(bool Ready, string Reason)> CheckAsync(CancellationToken cancellationToken)
    {
        var index = options.Value.ProjectsIndex;
        if (time.GetUtcNow() < readyUntil)
        {
            return (true, $"Algolia index '{index}' exists");
        }

        try
        {
            var api = services.GetRequiredService<IAlgoliaApi>();
            using var response = await api.GetSettingsAsync(
                index, [(int)HttpStatusCode.NotFound], $"read the settings of index {index}", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (false, $"Algolia index '{index}' does not exist (GET /1/indexes/{index}/settings answered 404): check setting 'Algolia:ProjectsIndex'");
            }

            readyUntil = time.GetUtcNow() + KeepReady;
            return (true, $"Algolia index '{index}' exists");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, $"Algolia index '{index}' could not be checked: {e.Message}");
        }
    }
}
