using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NextEleven.Api.Operations;

/// <summary>Registers probes, metrics and telemetry.</summary>
internal static class OperationsServiceExtensions
{
    /// <summary>The standard OTLP variable: when set, metrics and traces are exported there too.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service's name in traces and metrics (OpenTelemetry's <c>service.name</c>).</summary>
    public const string ServiceName = "nexteleven-api";

    /// <summary>
    /// Health probes, and OpenTelemetry metrics (the service's own meter, ASP.NET Core and Kestrel, the
    /// HTTP client, the runtime, the chat provider's gen_ai meter) for a Prometheus scrape on the
    /// management listener and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OTLP with traces. With
    /// neither configured no OpenTelemetry pipeline is built, so requests pay nothing for it.
    /// </summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ManagementOptions>()
            .BindConfiguration(ManagementOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        builder.Services.AddSingleton<ReadinessCheck>();
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: [OperationsEndpoints.ReadyTag]);
        // Type=notify under systemd (start-up and stopping are reported to it); nothing elsewhere.
        builder.Services.AddSystemd();

        var management = builder.Configuration.GetSection(ManagementOptions.SectionName).Get<ManagementOptions>();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        if (management?.IsEnabled != true && !otlp)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry()
            // A default name instead of unknown_service:dotnet; an operator's OTEL_SERVICE_NAME or
            // OTEL_RESOURCE_ATTRIBUTES service.name is left to win.
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"])
                    && builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Contains("service.name=", StringComparison.Ordinal) != true)
                {
                    resource.AddService(ServiceName);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RateLimitMetrics.MeterName, ChatRoutes.TelemetrySourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (management?.IsEnabled == true)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ChatRoutes.TelemetrySourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        return builder;
    }
}
