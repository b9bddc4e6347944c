using System.Text.Json;
using EventProcessor.Events.Catalog;

namespace EventProcessor.Infra;

/// <summary>One EventBridge rule: a source and the detail-types allowed from it.</summary>
internal sealed record RuleGroup(string Source, int Part, IReadOnlyList<string> DetailTypes)
{
    /// <summary>The pattern as EventBridge stores it; its length is what the quota counts.</summary>
    public string PatternJson => JsonSerializer.Serialize(new Dictionary<string, IReadOnlyList<string>>
    {
        ["source"] = [Source],
        ["detail-type"] = DetailTypes,
    });
}

/// <summary>
/// Derives the rules from the event catalog. A pattern matches source AND detail-type, so a rule
/// listing several sources and several types would also route pairs the catalog does not allow;
/// one rule per source keeps every routed pair exact.
/// </summary>
internal static class RulePlan
{
    /// <summary>EventBridge's default quota on a pattern's size, in characters.</summary>
    public const int MaxPatternLength = 2048;

    public static IReadOnlyList<RuleGroup> FromCatalog() => Plan(EventCatalog.All, MaxPatternLength);

    public static IReadOnlyList<RuleGroup> Plan(IEnumerable<EventTypeDefinition> definitions, int maxPatternLength)
    {
        var bySource = definitions
            .SelectMany(d => d.DefaultSources.Select(source => (Source: source, d.DetailType)))
            .GroupBy(pair => pair.Source, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal);

        var groups = new List<RuleGroup>();
        foreach (var source in bySource)
        {
            // Sorted so that adding a type to the catalog changes one rule, not the order of all.
            var types = source.Select(pair => pair.DetailType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var part = 0;
            var current = new List<string>();
            foreach (var type in types)
            {
                var candidate = new RuleGroup(source.Key, part, [.. current, type]);
                if (current.Count > 0 && candidate.PatternJson.Length > maxPatternLength)
                {
                    groups.Add(new RuleGroup(source.Key, part++, current));
                    current = [type];
                }
                else
                {
                    current.Add(type);
                }

                var single = new RuleGroup(source.Key, part, current);
                if (single.PatternJson.Length > maxPatternLength)
                {
                    throw new InvalidOperationException(
                        $"The pattern for source '{source.Key}' and detail-type '{type}' alone exceeds {maxPatternLength} characters.");
                }
            }

            groups.Add(new RuleGroup(source.Key, part, current));
        }

        return groups;
    }
}
