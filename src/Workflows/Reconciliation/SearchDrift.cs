using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Search;

namespace EventProcessor.Workflows.Reconciliation;

/// <summary>
/// What a project's search record should hold, built with the same attribute builders the event
/// workflows write with (ProjectUpdated, the report events, UserProjectAdded), and which of its
/// attributes differ from that.
/// </summary>
public static partial class SearchDrift
{
    /// <summary>The compared attributes as the event workflows would write them now.</summary>
    public static Dictionary<string, JsonElement> Expected(PlatformProject project, IReadOnlyList<PlatformReportSummary> reports, IReadOnlyList<PlatformUser> users)
    {
        ArgumentNullException.ThrowIfNull(project);
        return AlgoliaAttributes.From(new
        {
            name = project.Name,
            status = project.Status,
            accountId = project.AccountId,
            plan = project.Plan,
            reports = ProjectReportsSync.ReportsAttribute(reports),
            userIds = ProjectSearch.UserIds(users),
        });
    }

    /// <summary>The expected attributes whose value the record does not hold, sorted (an absent attribute equals null).</summary>
    public static IReadOnlyList<string> Differing(IReadOnlyDictionary<string, JsonElement> expected, IReadOnlyDictionary<string, JsonElement> record)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(record);
        return [.. expected
            .Where(e => !Same(e.Value, record.TryGetValue(e.Key, out var actual) ? actual : default))
            .Select(e => e.Key)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// JSON equality where property order does not matter, an absent value equals null, and two
    /// ISO 8601 times are equal when they name the same instant (<c>Z</c> or <c>+00:00</c>), so a
    /// record written by another tool is not rewritten every night for its notation alone.
    /// </summary>
    public static bool Same(JsonElement expected, JsonElement actual)
    {
        var e = expected.ValueKind is JsonValueKind.Undefined ? JsonValueKind.Null : expected.ValueKind;
        var a = actual.ValueKind is JsonValueKind.Undefined ? JsonValueKind.Null : actual.ValueKind;
        if (e is JsonValueKind.Null || a is JsonValueKind.Null)
        {
            return e == a;
        }

        switch (e)
        {
            case JsonValueKind.Object when a is JsonValueKind.Object:
                var left = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var right = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                return left.Keys.Union(right.Keys).All(k =>
                    Same(left.TryGetValue(k, out var l) ? l : default, right.TryGetValue(k, out var r) ? r : default));
            case JsonValueKind.Array when a is JsonValueKind.Array:
                return expected.GetArrayLength() == actual.GetArrayLength()
                    && expected.EnumerateArray().Zip(actual.EnumerateArray()).All(pair => Same(pair.First, pair.Second));
            case JsonValueKind.String when a is JsonValueKind.String:
                var x = expected.GetString()!;
                var y = actual.GetString()!;
                return string.Equals(x, y, StringComparison.Ordinal) || SameInstant(x, y);
            default:
                return JsonElement.DeepEquals(expected, actual);
        }
    }

    private static bool SameInstant(string x, string y) =>
        IsoTime().IsMatch(x) && IsoTime().IsMatch(y)
        && DateTimeOffset.TryParse(x, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var tx)
        && DateTimeOffset.TryParse(y, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ty)
        && tx == ty;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
