using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Push;
using EventProcessor.Hosting;
using EventProcessor.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventProcessor.Activities.Integrations.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Algolia_defaults_to_the_write_host_of_the_application_and_hides_the_key()
    {
        var options = AlgoliaOptions.Validator.ThrowIfInvalid(new AlgoliaOptions { ApplicationId = "LATENCY", ApiKey = "secret-algolia-key", ProjectsIndex = "projects" });

        Assert.Equal(new Uri("https://LATENCY.algolia.net/"), options.BaseUri);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.DoesNotContain("secret-algolia-key", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_algolia_setting_stops_the_start_naming_it()
    {
        using var product = ServiceHarness.Start(
            new Dictionary<string, string?> { ["Algolia:ApplicationId"] = "LATENCY", ["Algolia:ProjectsIndex"] = "projects" },
            new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero)),
            (s, c) => s.AddAlgolia(c));

        var failure = Assert.Throws<OptionsValidationException>(() => product.Get<IOptions<AlgoliaOptions>>().Value);

        Assert.Contains("Algolia:ApiKey (environment variable Algolia__ApiKey) ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_hubspot_time_zone_is_named()
    {
        var failure = Assert.Throws<InvalidSettingException>(() => HubSpotOptions.Validator.ThrowIfInvalid(new HubSpotOptions { AccessToken = "pat-secret", AccountTimeZone = "Mars/Olympus" }));

        Assert.Contains("HubSpot:AccountTimeZone (environment variable HubSpot__AccountTimeZone) ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pat-secret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSpot_defaults_to_the_public_api_in_utc_and_hides_the_token()
    {
        var options = HubSpotOptions.Validator.ThrowIfInvalid(new HubSpotOptions { AccessToken = "pat-secret" });

        Assert.Equal(new Uri("https://api.hubapi.com/"), options.BaseUri);
        Assert.Equal(TimeZoneInfo.Utc.BaseUtcOffset, options.AccountTimeZoneInfo().BaseUtcOffset);
        Assert.DoesNotContain("pat-secret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pusher_defaults_to_the_cluster_host_and_hides_the_secret()
    {
        var options = PusherOptions.Validator.ThrowIfInvalid(new PusherOptions { AppId = "1700001", Key = "key", Secret = "pusher-secret", Cluster = "eu" });

        Assert.Equal(new Uri("https://api-eu.pusher.com/"), options.BaseUri);
        Assert.DoesNotContain("pusher-secret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pusher_needs_a_cluster_or_a_base_url()
    {
        var failure = Assert.Throws<InvalidSettingException>(() => PusherOptions.Validator.ThrowIfInvalid(new PusherOptions { AppId = "1700001", Key = "key", Secret = "pusher-secret" }));

        Assert.Contains("Pusher:Cluster (environment variable Pusher__Cluster) ", failure.Message, StringComparison.Ordinal);
    }
}
