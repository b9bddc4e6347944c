using EventProcessor.Events.Catalog;

namespace EventProcessor.Infra.Tests;

public sealed class RulePlanTests
{
    private static IEnumerable<string> Pairs(IEnumerable<RuleGroup> groups) =>
        groups.SelectMany(g => g.DetailTypes.Select(t => $"{g.Source} / {t}")).Order(StringComparer.Ordinal);

    private static IEnumerable<string> CatalogPairs() =>
        EventCatalog.All.SelectMany(d => d.DefaultSources.Select(s => $"{s} / {d.DetailType}")).Order(StringComparer.Ordinal);

    [Fact]
    public void The_plan_covers_every_catalog_pair_exactly_once_with_one_source_per_rule()
    {
        var plan = RulePlan.FromCatalog();

        Assert.Equal(CatalogPairs(), Pairs(plan));
        Assert.Equal(
            EventCatalog.All.SelectMany(d => d.DefaultSources).Distinct().Count(),
            plan.Select(g => g.Source).Distinct().Count());
        Assert.All(plan, g => Assert.True(g.PatternJson.Length <= RulePlan.MaxPatternLength));
    }

    [Fact]
    public void A_source_whose_pattern_would_exceed_the_limit_is_split_into_numbered_rules()
    {
        const int limit = 150;
        var plan = RulePlan.Plan(EventCatalog.All, limit);

        Assert.Equal(CatalogPairs(), Pairs(plan));
        Assert.All(plan, g => Assert.True(g.PatternJson.Length <= limit, $"{g.Source}#{g.Part}: {g.PatternJson.Length}"));
        var webhooks = plan.Where(g => g.Source == "phoenix-webhooks").ToList();
        Assert.True(webhooks.Count > 1);
        Assert.Equal(Enumerable.Range(0, webhooks.Count), webhooks.Select(g => g.Part));
    }

    [Fact]
    public void A_pattern_that_cannot_fit_even_alone_is_an_error_not_a_silently_dropped_type()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RulePlan.Plan(EventCatalog.All, 40));
        Assert.Contains("exceeds 40 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pattern_is_the_json_eventbridge_matches_on()
    {
        var group = new RuleGroup("support-service", 0, ["TicketCreatedEvent", "TicketUpdatedEvent"]);
        Assert.Equal("""{"source":["support-service"],"detail-type":["TicketCreatedEvent","TicketUpdatedEvent"]}""", group.PatternJson);
    }
}
