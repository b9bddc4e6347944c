using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventProcessor.Hosting;

/// <summary>
/// Health of a host as health checks (<see cref="IHealthCheck"/>): <c>/healthz</c> answers the
/// checks tagged <see cref="Live"/> (the process is up) and <c>/readyz</c> those tagged
/// <see cref="Ready"/> (it should receive work). Every web host maps them the same way: 200 with
/// <c>ok</c> or the healthy description, 503 with the reasons otherwise.
/// </summary>
public static class Probes
{
    public const string Live = "live";

    public const string Ready = "ready";

    public const string LivenessPath = "/healthz";

    public const string ReadinessPath = "/readyz";

    /// <summary>Registers health checks with the liveness check every host has: the process answers.</summary>
    public static IHealthChecksBuilder AddProbes(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck("process", static () => HealthCheckResult.Healthy("ok"), [Live]);

    /// <summary>The body of a probe's answer: the descriptions of the checks, unhealthy ones first.</summary>
    public static string Describe(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var entries = report.Status == HealthStatus.Healthy
            ? report.Entries.Values
            : report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy);
        var lines = entries.Select(e => e.Description ?? e.Exception?.Message ?? e.Status.ToString()).ToList();
        return lines.Count == 0 ? "ok" : string.Join(Environment.NewLine, lines);
    }
}
