using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventProcessor.Hosting.Tests;

/// <summary>What <c>/healthz</c> and <c>/readyz</c> answer, from the registered health checks.</summary>
public sealed class ProbesTests
{
    [Fact]
    public async Task Liveness_is_the_process_answering()
    {
        using var provider = Services(HealthCheckResult.Unhealthy("Temporal at t:7233 is unreachable"));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(Probes.Live));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("ok", Probes.Describe(report));
    }

    [Fact]
    public async Task Readiness_names_what_is_not_ready()
    {
        using var provider = Services(HealthCheckResult.Unhealthy("Temporal at t:7233 is unreachable"));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(Probes.Ready));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("Temporal at t:7233 is unreachable", Probes.Describe(report));
    }

    [Fact]
    public async Task A_ready_process_says_what_it_does()
    {
        using var provider = Services(HealthCheckResult.Healthy("polling task queue q on t:7233"));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(Probes.Ready));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("polling task queue q on t:7233", Probes.Describe(report));
    }

    private static ServiceProvider Services(HealthCheckResult readiness)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProbes().AddCheck("ready", () => readiness, [Probes.Ready]);
        return services.BuildServiceProvider();
    }
}
