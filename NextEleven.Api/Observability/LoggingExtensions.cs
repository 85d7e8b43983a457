using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace NextEleven.Api.Observability;

/// <summary>Serilog inside the host, and the one request line.</summary>
internal static class LoggingExtensions
{
    /// <summary>
    /// Serilog built inside the host (no static bootstrap logger), so every host in a test run, and every
    /// WebApplicationFactory, gets its own pipeline. Sinks registered in DI (tests capture logs that way)
    /// are picked up by ReadFrom.Services.
    /// </summary>
    public static IHostApplicationBuilder AddSerilogLogging(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddSingleton<RejectionLogSampler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RejectionLogSampler>());
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
                .Enrich.With<CredentialPropertyRedactor>()
                // A failed start is refused in one line on standard error; the host's own stack trace of it is noise.
                .Filter.ByExcluding(e => e.MessageTemplate.Text == "Hosting failed to start");
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

    /// <summary>One line per request (see <see cref="RequestLogMiddleware"/>).</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();
}
