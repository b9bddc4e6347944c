using System.Collections.Concurrent;
using EventProcessor.Events.Catalog;
using NJsonSchema;

namespace EventProcessor.Events.Tests;

/// <summary>
/// The checked-in schemas (schemas/*.json), read and applied by NJsonSchema, a draft-04 validator
/// independent of the generator: what a producer's own tooling would do with them.
/// </summary>
internal static class PublishedSchemas
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new(StringComparer.Ordinal);

    public static JsonSchema For(string detailType) => Cache.GetOrAdd(detailType, type =>
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, $"{type}.json"));
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
    });

    /// <summary>The schema's complaints about an event (empty when it validates).</summary>
    public static IReadOnlyList<string> Errors(string detailType, string eventJson) =>
        [.. For(detailType).Validate(eventJson).Select(e => $"{e.Path}: {e.Kind}")];

    /// <summary>True when the schema of <paramref name="detailType"/> accepts the event.</summary>
    public static bool Accepts(string detailType, string eventJson) => Errors(detailType, eventJson).Count == 0;

    /// <summary>Every type whose schema accepts the event.</summary>
    public static IReadOnlyList<string> TypesAccepting(string eventJson) =>
        [.. EventCatalog.All.Select(d => d.DetailType).Where(t => Accepts(t, eventJson))];
}
