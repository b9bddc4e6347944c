using System.Text.Json.Nodes;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Contracts;

namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class SchemaRegistryTests(SynthesizedStacks stacks)
{
    public static TheoryData<string> DetailTypes() => [.. EventCatalog.All.Select(d => d.DetailType)];

    [Fact]
    public void Each_environment_has_one_schema_registry_named_after_it()
    {
        var (_, registry) = stacks.Primary.Single("AWS::EventSchemas::Registry");
        Assert.Equal($"eventprocessor-{stacks.PrimarySettings.EnvironmentName}", (string?)registry["RegistryName"]);
        foreach (var name in SynthesizedStacks.ShippedEnvironments)
        {
            Assert.Equal($"eventprocessor-{name}", (string?)stacks.Shipped[name].Single("AWS::EventSchemas::Registry").Properties["RegistryName"]);
        }
    }

    [Fact]
    public void The_registry_holds_exactly_one_draft4_schema_per_detail_type()
    {
        var (registryId, _) = stacks.Primary.Single("AWS::EventSchemas::Registry");
        var schemas = stacks.Primary.Resources("AWS::EventSchemas::Schema");

        Assert.Equal(EventCatalog.All.Select(d => d.DetailType).Order(StringComparer.Ordinal), schemas.Select(s => (string)s.Properties["SchemaName"]!).Order(StringComparer.Ordinal));
        Assert.All(schemas, s => Assert.Equal("JSONSchemaDraft4", (string?)s.Properties["Type"]));
        Assert.All(schemas, s => Assert.Equal(registryId, TemplateView.GetAttId(s.Properties["RegistryName"], "RegistryName")));
    }

    [Theory]
    [MemberData(nameof(DetailTypes))]
    public void Each_schema_is_the_catalog_generated_contract_of_its_type(string detailType)
    {
        var schema = stacks.Primary.Resources("AWS::EventSchemas::Schema").Single(s => (string?)s.Properties["SchemaName"] == detailType).Properties;

        var content = JsonNode.Parse((string)schema["Content"]!)!;

        Assert.True(JsonNode.DeepEquals(EventSchemaGenerator.Build(EventCatalog.Get(detailType)), content), $"{detailType}: the registry's schema differs from the catalog's");
        Assert.Equal("http://json-schema.org/draft-04/schema#", (string?)content["$schema"]);
    }
}
