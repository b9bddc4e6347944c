using System.Text.Json.Nodes;
using EventProcessor.Events.Catalog;

namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class RoutingTests(SynthesizedStacks stacks)
{
    public static TheoryData<string> DetailTypes() => [.. EventCatalog.All.Select(d => d.DetailType)];

    [Fact]
    public void The_rules_route_exactly_the_catalogs_source_and_detail_type_pairs_each_once()
    {
        var expected = EventCatalog.All
            .SelectMany(d => d.DefaultSources.Select(s => $"{s} / {d.DetailType}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var routed = RoutedPairs(stacks.Primary).Select(p => $"{p.Source} / {p.DetailType}").Order(StringComparer.Ordinal).ToList();

        // Equal lists (not sets): a pair routed by two rules would start two invocations per event.
        Assert.Equal(expected, routed);
    }

    [Theory]
    [MemberData(nameof(DetailTypes))]
    public void Each_detail_type_reaches_the_trigger_from_each_of_its_sources(string detailType)
    {
        var definition = EventCatalog.Get(detailType);
        var functionId = stacks.Primary.Single("AWS::Lambda::Function").Id;

        foreach (var source in definition.DefaultSources)
        {
            var rule = Assert.Single(
                stacks.Primary.Resources("AWS::Events::Rule"),
                r => Strings(r.Properties["EventPattern"]!["source"]).Contains(source)
                    && Strings(r.Properties["EventPattern"]!["detail-type"]).Contains(detailType));
            var target = Assert.Single(rule.Properties["Targets"]!.AsArray());
            Assert.Equal(functionId, TemplateView.GetAttId(target!["Arn"]));
            Assert.Equal("ENABLED", (string?)rule.Properties["State"]);
        }
    }

    [Fact]
    public void Patterns_match_only_source_and_detail_type_and_stay_within_the_eventbridge_size_quota()
    {
        foreach (var (id, rule) in stacks.Primary.Resources("AWS::Events::Rule"))
        {
            var pattern = rule["EventPattern"]!.AsObject();
            Assert.Equal(["detail-type", "source"], pattern.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.True(pattern.ToJsonString().Length <= 2048, $"{id}: pattern of {pattern.ToJsonString().Length} characters");
        }
    }

    [Fact]
    public void EventBridge_may_invoke_the_trigger_for_each_rule_and_only_from_that_rule()
    {
        var functionId = stacks.Primary.Single("AWS::Lambda::Function").Id;
        var ruleIds = stacks.Primary.Resources("AWS::Events::Rule").Select(r => r.Id).Order(StringComparer.Ordinal).ToList();

        var permitted = stacks.Primary.Resources("AWS::Lambda::Permission")
            .Where(p => (string?)p.Properties["Principal"] == "events.amazonaws.com")
            .Select(p =>
            {
                Assert.Equal("lambda:InvokeFunction", (string?)p.Properties["Action"]);
                Assert.Equal(functionId, TemplateView.GetAttId(p.Properties["FunctionName"]));
                return TemplateView.GetAttId(p.Properties["SourceArn"]);
            })
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(ruleIds, permitted);
    }

    [Fact]
    public void A_new_bus_is_created_under_its_configured_name_and_carries_every_rule()
    {
        var (busId, bus) = stacks.Primary.Single("AWS::Events::EventBus");
        Assert.Equal("test-bus", (string?)bus["Name"]);
        Assert.All(stacks.Primary.Resources("AWS::Events::Rule"), r => Assert.Equal(busId, TemplateView.RefId(r.Properties["EventBusName"])));
    }

    [Fact]
    public void An_existing_bus_is_only_referenced_so_deleting_the_stack_leaves_it()
    {
        Assert.Empty(stacks.Existing.Resources("AWS::Events::EventBus"));
        var rules = stacks.Existing.Resources("AWS::Events::Rule");
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.Equal("platform-events", (string?)r.Properties["EventBusName"]));
        Assert.Equal(RoutedPairs(stacks.Primary).Count, RoutedPairs(stacks.Existing).Count);
    }

    private static List<(string Source, string DetailType)> RoutedPairs(TemplateView template) =>
        [.. template.Resources("AWS::Events::Rule").SelectMany(r =>
            from source in Strings(r.Properties["EventPattern"]!["source"])
            from type in Strings(r.Properties["EventPattern"]!["detail-type"])
            select (source, type))];

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => (string)n!)];
}
