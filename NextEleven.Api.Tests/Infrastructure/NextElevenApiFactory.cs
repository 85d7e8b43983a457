using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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

    public string EnvironmentName { get; init; } = "Production";

    /// <summary>The configured service key; null leaves it unset.</summary>
    public string? ApiKey { get; init; } = TestApiKey;

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Extra service registrations, applied after the app's own (a failing chat client, say).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public LogCapture Logs { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 14, 17, 0, 0, TimeSpan.Zero));

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
            var settings = new Dictionary<string, string?>(Settings)
            {
                // Empty rather than absent, so a variable set on the test machine cannot fill it in.
                [ApiKeyOptions.VariableName] = ApiKey ?? string.Empty,
            };
            configuration.AddInMemoryCollection(settings);
        });
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton<TimeProvider>(Time);
            ConfigureServices?.Invoke(services);
        });
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
