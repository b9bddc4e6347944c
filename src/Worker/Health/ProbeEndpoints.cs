using EventProcessor.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EventProcessor.Worker.Health;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> as health-check endpoints (<see cref="Probes"/>): 200 with
/// <c>ok</c> or the healthy description, 503 naming what is not healthy. The paths and codes are
/// what the container's probes and docs/worker.md rely on.
/// </summary>
public static class ProbeEndpoints
{
    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(Probes.LivenessPath, Options(Probes.Live));
        endpoints.MapHealthChecks(Probes.ReadinessPath, Options(Probes.Ready));
        return endpoints;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        AllowCachingResponses = false,
        ResponseWriter = static (context, report) =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(Probes.Describe(report), context.RequestAborted);
        },
    };
}
