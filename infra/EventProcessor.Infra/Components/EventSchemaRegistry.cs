using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.AWS.EventSchemas;
using Constructs;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Contracts;

namespace EventProcessor.Infra;

/// <summary>
/// An EventBridge schema registry holding the published contract of every detail-type: one
/// <c>JSONSchemaDraft4</c> schema per type, its content the checked-in <c>schemas/{detail-type}.json</c>
/// (generated from the catalog), so producers can browse the events and download code bindings.
/// </summary>
internal sealed class EventSchemaRegistry : Construct
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="schemasDirectory">The folder holding <c>{detail-type}.json</c> for every catalog type.</param>
    public EventSchemaRegistry(Construct scope, string id, string environmentName, string schemasDirectory)
        : base(scope, id)
    {
        Registry = new CfnRegistry(this, "Registry", new CfnRegistryProps
        {
            RegistryName = RegistryName(environmentName),
            Description = "Contracts of the events the event processor handles (generated from its event catalog; docs/events.md).",
        });

        var schemas = new List<CfnSchema>();
        foreach (var definition in EventCatalog.All)
        {
            var path = Path.Combine(schemasDirectory, EventSchemaGenerator.FileName(definition));
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The schema of {definition.DetailType} is missing: {path}. Regenerate the schemas (docs/events.md says how).");
            }

            var schema = new CfnSchema(this, $"Schema-{definition.DetailType}", new CfnSchemaProps
            {
                RegistryName = Registry.AttrRegistryName,
                SchemaName = definition.DetailType,
                Type = "JSONSchemaDraft4",
                Description = $"{definition.DetailType} from {string.Join(", ", definition.DefaultSources)}: {definition.Action}.",
                // Compacted: the same document without indentation, to keep the template small.
                Content = JsonNode.Parse(File.ReadAllText(path))!.ToJsonString(Compact),
            });
            schemas.Add(schema);
        }

        Schemas = schemas;
    }

    public CfnRegistry Registry { get; }

    public IReadOnlyList<CfnSchema> Schemas { get; }

    public static string RegistryName(string environmentName) => $"eventprocessor-{environmentName}";
}
