using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace EventProcessor.Infra.Tests;

/// <summary>A synthesized template, both as CDK's assertion object and as plain JSON to walk.</summary>
public sealed class TemplateView(Template template, JsonObject json)
{
    public Template Template { get; } = template;

    public JsonObject Json { get; } = json;

    public IReadOnlyList<(string Id, JsonObject Properties)> Resources(string type) =>
        [.. Json["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!["Properties"]?.AsObject() ?? []))];

    public (string Id, JsonObject Properties) Single(string type)
    {
        var found = Resources(type);
        Assert.Single(found);
        return found[0];
    }

    public string TypeOf(string logicalId) => (string)Json["Resources"]![logicalId]!["Type"]!;

    /// <summary>The logical id in <c>{"Fn::GetAtt": [id, attribute]}</c>.</summary>
    public static string GetAttId(JsonNode? node, string attribute = "Arn")
    {
        var getAtt = node?["Fn::GetAtt"]?.AsArray();
        Assert.NotNull(getAtt);
        Assert.Equal(attribute, (string?)getAtt[1]);
        return (string)getAtt[0]!;
    }

    /// <summary>The logical id in <c>{"Ref": id}</c>.</summary>
    public static string RefId(JsonNode? node)
    {
        var reference = (string?)node?["Ref"];
        Assert.NotNull(reference);
        return reference;
    }

    /// <summary>Every IAM statement that applies to a role: its inline policies and the AWS::IAM::Policy resources attached to it.</summary>
    public IReadOnlyList<JsonObject> StatementsOf(string roleId)
    {
        var statements = new List<JsonObject>();
        var role = Json["Resources"]![roleId]!["Properties"]!.AsObject();
        foreach (var inline in role["Policies"]?.AsArray() ?? [])
        {
            statements.AddRange(inline!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));
        }

        foreach (var (_, policy) in Resources("AWS::IAM::Policy"))
        {
            if (policy["Roles"]!.AsArray().Any(r => (string?)r?["Ref"] == roleId))
            {
                statements.AddRange(policy["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));
            }
        }

        return statements;
    }

    public static IReadOnlyList<string> Actions(JsonObject statement) => AsList(statement["Action"]).Select(a => (string)a!).ToList();

    public static IReadOnlyList<JsonNode> ResourcesOf(JsonObject statement) => AsList(statement["Resource"]);

    /// <summary>
    /// The literal text of an ARN, with pseudo parameters as <c>${...}</c>: for
    /// <c>Fn::Join</c>-built ARNs, so tests compare what the ARN will be, not how CDK spelled it.
    /// </summary>
    public static string Text(JsonNode node)
    {
        if (node is JsonValue)
        {
            return (string)node!;
        }

        if (node["Fn::Join"] is JsonArray join)
        {
            return string.Join((string)join[0]!, join[1]!.AsArray().Select(part => Text(part!)));
        }

        if (node["Ref"] is JsonNode reference)
        {
            return $"${{{(string)reference!}}}";
        }

        return node.ToJsonString();
    }

    private static List<JsonNode> AsList(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n!)] : node is null ? [] : [node];
}
