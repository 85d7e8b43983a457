using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NextEleven.Api.Operations;

/// <summary>The probes: <c>/healthz</c> (the process is up) and <c>/readyz</c> (it can serve).</summary>
internal static class OperationsEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>Probes are read, never written: any other method is a 405 with an Allow header.</summary>
    private static readonly HttpMethodMetadata ProbeMethods = new([HttpMethods.Get, HttpMethods.Head]);

    /// <summary>
    /// <c>/healthz</c> (the process serves) and <c>/readyz</c> (it can decide requests), outside /api: no
    /// key, no rate limit, tiny bodies.
    /// </summary>
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        // Created now rather than at the first probe, so its gauge is there from the first scrape.
        app.ServiceProvider.GetRequiredService<ReadinessCheck>();
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = static (context, _) => context.Response.WriteAsync("{\"status\":\"ok\"}"),
        }).WithMetadata(ProbeMethods).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            // Degraded (Redis unreachable, deciding from memory; a refused clients file, the last good set in force) is still ready.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReadiness,
        }).WithMetadata(ProbeMethods).ExcludeFromDescription();
        return app;
    }

    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        var entry = report.Entries.Values.FirstOrDefault();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["status"] = report.Status == HealthStatus.Unhealthy ? "unready" : "ready",
            ["rateLimitStore"] = entry.Data?.GetValueOrDefault("rateLimitStore"),
            ["clients"] = entry.Data?.GetValueOrDefault("clients"),
            ["providers"] = entry.Data?.GetValueOrDefault("providers"),
        }, OperationsJsonContext.Default.DictionaryStringObject));
    }
}
