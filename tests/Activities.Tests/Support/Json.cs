using System.Text.Json.Nodes;
using WireMock;

namespace EventProcessor.Activities.Tests.Support;

internal static class Json
{
    /// <summary>Asserts two JSON texts are the same document (member order aside).</summary>
    public static void Equal(string expected, string? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = actual is null ? null : JsonNode.Parse(actual);
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actualNode),
            $"Expected JSON{Environment.NewLine}{expectedNode?.ToJsonString()}{Environment.NewLine}but got{Environment.NewLine}{actualNode?.ToJsonString()}");
    }

    public static IReadOnlyDictionary<string, string> QueryOf(IRequestMessage request) =>
        (request.Query ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
            .ToDictionary(q => q.Key, q => string.Join(",", q.Value), StringComparer.Ordinal);

    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
