using NextEleven.Api.Configuration;
using NextEleven.Api.Errors;
using NextEleven.Api.Networking;
using NextEleven.Api.Observability;
using NextEleven.Api.OpenApi;
using NextEleven.Api.Operations;
using NextEleven.Api.Requests;
using NextEleven.Api.Security;
using NextEleven.Api.Shutdown;

namespace NextEleven.Api.Hosting;

/// <summary>
/// What every request gets whatever the route, in the spirit of eShop's ServiceDefaults: configuration
/// from .env files, logging, telemetry and probes, the management listener, the graceful shutdown, the
/// client's real address behind trusted proxies, standard response headers, request limits, CORS, the
/// API document and the one error format. One pair of calls, and the second owns the middleware order.
/// </summary>
internal static class ServiceDefaultsExtensions
{
    /// <summary>Registers the defaults; false with the problem when a .env file cannot be read.</summary>
    public static bool TryAddServiceDefaults(this WebApplicationBuilder builder, out string problem)
    {
        if (!builder.Configuration.TryAddDotEnvFiles(builder.Environment.ContentRootPath, out problem, out var dotEnvFiles))
        {
            return false;
        }
        builder.Services.AddSingleton(new DotEnvFilesRead(dotEnvFiles));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddSerilogLogging()
            .AddOperations()
            .AddGracefulShutdown()
            .AddTrustedProxies()
            .AddRequestLimits()
            .AddApiCors()
            .AddApiErrors()
            .AddApiDocs();
        return true;
    }

    /// <summary>
    /// Checks every setting (false with the first problem, in one line), then puts the middleware in its
    /// order: the scrape listener first (never logged or limited), then the client's real address, then
    /// headers, logs and errors for everything after; the probes and the API document beside the routes.
    /// </summary>
    public static bool TryUseServiceDefaults(this WebApplication app, out string problem)
    {
        if (!app.TryValidateOptions(out problem))
        {
            return false;
        }
        app.ReadDotEnvFiles(app.Services.GetRequiredService<DotEnvFilesRead>().Files);
        app.UseManagementListener();
        app.UseTrustedProxies();
        app.UseStandardResponseHeaders();
        app.UseRequestLogging();
        app.UseApiErrors();
        app.UseRequestHeaderLimit();
        app.UseApiCors();
        app.MapApiDocs();
        app.MapOperations();
        return true;
    }

    /// <summary>
    /// Starts the host and waits for its shutdown: 0 once stopped, or 1 after the one-line refusal of a
    /// host that cannot start (a port in use). Disposing the host flushes the log events still queued.
    /// </summary>
    public static async Task<int> RunUntilShutdownAsync(this WebApplication app)
    {
        if (await app.TryStartAsync() is { } startFailure)
        {
            return await RefuseToStartAsync(startFailure);
        }
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>A bad setting ends the start with one line that names it, and exit code 1.</summary>
    public static async Task<int> RefuseToStartAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"NextEleven.Api cannot start: {problem}");
        return 1;
    }
}
