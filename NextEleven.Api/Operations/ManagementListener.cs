using Microsoft.Extensions.Options;

namespace NextEleven.Api.Operations;

/// <summary>Serves <c>/metrics</c> on the management port only.</summary>
internal static class ManagementListener
{
    /// <summary>
    /// Adds the management listener(s) beside the public ones, serving the Prometheus scrape at
    /// <c>/metrics</c>. Adding any address replaces the configured ones (<c>--urls</c>,
    /// <c>ASPNETCORE_URLS</c>), so those are carried over first.
    /// </summary>
    public static WebApplication UseManagementListener(this WebApplication app)
    {
        var management = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        if (!management.IsEnabled)
        {
            return app;
        }
        foreach (var url in ManagementOptions.PublicUrls(app.Configuration))
        {
            app.Urls.Add(url);
        }
        foreach (var url in management.Listeners)
        {
            app.Urls.Add(url);
        }

        // Decided by the port the connection came in on, never by the Host header a caller can write:
        // the management listener serves /metrics and nothing else, the public one never serves it.
        var ports = management.Ports!.ToHashSet();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            ports.Contains(context.Connection.LocalPort) && context.Request.Path == "/metrics");
        app.Use((context, next) =>
        {
            if (!ports.Contains(context.Connection.LocalPort))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        return app;
    }
}
