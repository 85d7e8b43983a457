using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NextEleven.Api.Operations;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Operations;

/// <summary>/healthz and /readyz: no key, no rate limit, tiny bodies, quiet logs, and readiness that turns when it should.</summary>
public sealed class HealthProbeTests
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task AThousandProbesInARowFromOneAddressAllGet200WithoutAKey(string path)
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:Public:PermitLimit"] = "5", ["RateLimit:PermitLimit"] = "5" } };
        var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 1000; i++)
        {
            using var response = await client.GetAsync(path);
            statuses.Add(response.StatusCode);
        }
        using var last = await client.GetAsync(path);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.False(last.Headers.Contains("X-RateLimit-Limit"), "probes are not rate limited");
        // The readiness body names each provider target's breaker beside the store and the clients: still small.
        Assert.True((await last.Content.ReadAsStringAsync()).Length < 160, "probe bodies stay small");
        Assert.DoesNotContain(factory.Logs.Events, e => e.Level > LogEventLevel.Debug
            && e.Properties.TryGetValue("RequestPath", out var logged) && logged.ToString().Contains(path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST", "/healthz")]
    [InlineData("PUT", "/readyz")]
    [InlineData("DELETE", "/healthz")]
    public async Task AProbeAnswersOnlyGetAndHead(string method, string path)
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var head = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        await ApiAssert.Error(response, HttpStatusCode.MethodNotAllowed, "Method not allowed");
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task ReadinessReportsTheStoreAndClientsAndTurns503WhenTheProcessIsStopping()
    {
        // The readiness check sees a lifetime the test controls: stopping the real host would also stop the test server.
        var lifetime = new ControlledLifetime();
        using var factory = new NextElevenApiFactory
        {
            ConfigureServices = services => services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ReadinessCheck>(
                provider, (IHostApplicationLifetime)lifetime)),
        };
        var client = factory.CreateClient();

        using var ready = await client.GetAsync("/readyz");
        var readyBody = await ready.Content.ReadAsStringAsync();
        await lifetime.Stopping.CancelAsync();
        using var stopping = await client.GetAsync("/readyz");
        using var alive = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"ready","rateLimitStore":"memory","clients":"loaded","providers":{"echo/nexteleven-offline-echo":"closed"}}""",
            readyBody);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopping.StatusCode);
        Assert.Contains("\"status\":\"unready\"", await stopping.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await alive.Content.ReadAsStringAsync());
    }

    private sealed class ControlledLifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();
    }

    [Fact]
    public async Task ReadinessStaysReadyWhileRedisIsUnreachableAndSaysFallback()
    {
        using var factory = new NextElevenApiFactory
        {
            UseSystemClock = true,
            Settings = { ["ConnectionStrings:Redis"] = $"127.0.0.1:{LoopbackPort.Free()},connectTimeout=500" },
        };

        using var response = await factory.CreateClient().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"rateLimitStore\":\"fallback\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
