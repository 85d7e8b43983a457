using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace NextEleven.Api.Observability;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog built inside the host (no static bootstrap logger), so every host in a test run, and every
    /// WebApplicationFactory, gets its own pipeline. Sinks registered in DI (tests capture logs that way)
    /// are picked up by ReadFrom.Services.
    /// </summary>
    public static IHostApplicationBuilder AddSerilogLogging(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog(preserveStaticLogger: true, configureLogger: (services, logger) =>
        {
            // Defaults in code, so the service logs sensibly from any folder; the Serilog section of the
            // configuration overrides them (Serilog__MinimumLevel__Override__Microsoft.AspNetCore=Information).
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .ReadFrom.Configuration(services.GetRequiredService<IConfiguration>())
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.With<CredentialPropertyRedactor>();
            if (isDevelopment)
            {
                logger.WriteTo.Sink(LoggerSinkConfiguration.Wrap(console => new ControlCharacterEscapingSink(console), sinks => sinks.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                // JSON lines, formatted and written in batches on Serilog's background thread: a request
                // never waits for stdout. A flood that fills the queue drops events rather than memory
                // or latency; events still queued at shutdown are written out.
                logger.WriteTo.Sink(
                    new StdoutJsonBatchSink(Console.OpenStandardOutput()),
                    new BatchingOptions
                    {
                        BatchSizeLimit = 1000,
                        BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
                        EagerlyEmitFirstEvent = true,
                        QueueLimit = 100_000,
                    });
            }
        });
        return builder;
    }

    /// <summary>One line per request: method, path, status, elapsed, request id, client id and key id (never the key), address.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger, not the static one: several hosts (tests) may run side by side.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate =
                "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms (request {RequestId}, client {ClientId}, key {KeyId}, address {ClientAddress})";
            // Probes come every few seconds from every load balancer (a 503 from /readyz included): not worth a line each.
            options.GetLevel = static (context, _, exception) => exception is null
                && (context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
                ? LogEventLevel.Debug
                : exception is not null || context.Response.StatusCode >= 500
                ? LogEventLevel.Error
                : context.Response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests
                    ? LogEventLevel.Warning
                    : LogEventLevel.Information;
            options.EnrichDiagnosticContext = static (diagnostics, context) =>
            {
                diagnostics.Set("RequestId", context.TraceIdentifier);
                var identity = context.Features.Get<ClientIdentity>();
                diagnostics.Set("ClientId", identity?.ClientId ?? ClientRateLimiter.AnonymousClientId);
                diagnostics.Set("KeyId", identity?.KeyId ?? "none");
                diagnostics.Set("ClientAddress", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            };
        });
}
