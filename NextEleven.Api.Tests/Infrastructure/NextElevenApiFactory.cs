using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NextEleven.Api.Clients;
using NextEleven.Api.Security;
using Serilog.Core;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// The service in memory, configured as a test asks. Defaults to Production with a valid key, as it
/// ships. Each factory gets an empty content root, so a developer's own .env files never leak in.
/// </summary>
public sealed class NextElevenApiFactory : WebApplicationFactory<Program>
{
    public const string TestApiKey = "nxt-test-key-5f0c1e9a7b3d4c2e8f6a0b1c2d3e4f5a";

    private readonly string _contentRoot = Directory.CreateTempSubdirectory("nexteleven-test-").FullName;

    /// <summary>The service's content root: a test writes its clients file or .env files here before the first request.</summary>
    public string ContentRoot => _contentRoot;

    public string EnvironmentName { get; init; } = "Production";

    /// <summary>The configured service key; null leaves it unset.</summary>
    public string? ApiKey { get; init; } = TestApiKey;

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Extra service registrations, applied after the app's own (a failing chat client, say).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public LogCapture Logs { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 14, 17, 0, 0, TimeSpan.Zero));

    /// <summary>The system clock instead of <see cref="Time"/>: for a store that decides on its own clock (Redis).</summary>
    public bool UseSystemClock { get; init; }

    /// <summary>
    /// Test-only header naming the TCP peer's address: the in-memory server has no socket, so this stands
    /// in for the connection's remote address (what a real client cannot forge).
    /// </summary>
    public const string PeerAddressHeader = "X-Test-Peer-Address";

    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticator.ApiKeyHeader, apiKey);
        }
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(_contentRoot, "appsettings.json"));
        builder.UseEnvironment(EnvironmentName);
        builder.UseContentRoot(_contentRoot);
        builder.ConfigureAppConfiguration(configuration =>
        {
            // Empty rather than absent, so a variable set on the test machine cannot fill them in.
            var settings = new Dictionary<string, string?>
            {
                [ApiKeyOptions.VariableName] = ApiKey ?? string.Empty,
                [ApiKeyOptions.PreviousVariableName] = string.Empty,
                // A host disposed by a test stops at once; tests of the delay set it.
                ["Shutdown:ReadinessDelay"] = "00:00:00",
            };
            foreach (var (key, value) in Settings)
            {
                settings[key] = value;
            }
            configuration.AddInMemoryCollection(settings);
        });
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            if (!UseSystemClock)
            {
                services.AddSingleton<TimeProvider>(Time);
            }
            services.AddTransient<IStartupFilter, PeerAddressStartupFilter>();
            ConfigureServices?.Invoke(services);
        });
    }

    private sealed class PeerAddressStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var peer = context.Request.Headers[PeerAddressHeader].ToString();
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.Length > 0 ? peer : "192.0.2.1");
                context.Request.Headers.Remove(PeerAddressHeader);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
