using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.RateLimiting;

public sealed class LimiterAtScaleTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task UnderConcurrencyExactlyThePermitLimitIsAdmittedWithExactRemainingCounts()
    {
        const int limit = 50;
        const int attempts = 400;
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = $"{limit}" } };
        var client = factory.CreateClient(Key);

        var responses = await Task.WhenAll(Enumerable.Range(0, attempts).Select(async _ =>
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            return (response.StatusCode, RateLimitHeaders.From(response).Remaining);
        }));

        var admitted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(limit, admitted.Count);
        Assert.Equal(attempts - limit, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        // Every admitted request saw its own count: 49, 48, ... 0, each exactly once.
        Assert.Equal(Enumerable.Range(0, limit), admitted.Select(r => r.Remaining).Order());
    }

    [Fact]
    public async Task BeyondTheTrackedClientsCapNewAnonymousClientsShareOneOverflowBudget()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "2", ["RateLimit:MaxTrackedClients"] = "3" },
        };
        var client = factory.CreateClient();
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);

        async Task<HttpResponseMessage> Send(string peer, string? apiKey = null)
        {
            var request = HttpRequests.Chat("""{"message":"Hi"}""", apiKey);
            request.Headers.Add(NextElevenApiFactory.PeerAddressHeader, peer);
            return await client.SendAsync(request);
        }

        foreach (var tracked in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            (await Send(tracked)).Dispose();
        }
        using var firstOverflow = await Send("198.51.100.4");
        using var secondOverflow = await Send("2001:db8::4");
        using var thirdOverflow = await Send("198.51.100.5");
        using var trackedStillOwnBudget = await Send("198.51.100.1");
        using var keyStillOwnBudget = await Send("198.51.100.6", Key);

        Assert.Equal(HttpStatusCode.Unauthorized, firstOverflow.StatusCode);
        Assert.Equal(1, RateLimitHeaders.From(firstOverflow).Remaining);
        Assert.Equal(0, RateLimitHeaders.From(secondOverflow).Remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, thirdOverflow.StatusCode);
        Assert.Equal(0, RateLimitHeaders.From(trackedStillOwnBudget).Remaining);
        Assert.Equal(HttpStatusCode.Unauthorized, trackedStillOwnBudget.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyStillOwnBudget.StatusCode);
        Assert.Equal(1, RateLimitHeaders.From(keyStillOwnBudget).Remaining);
        Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning
            && e.MessageTemplate.Text.Contains("overflow budget", StringComparison.Ordinal));
        Assert.Equal(3, metrics.Sum("nexteleven.rate_limit.overflow_requests"));
        Assert.Equal(4, TrackedClients(factory));
    }

    [Fact]
    public async Task ANewWindowDropsThePreviousWindowsClients()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:MaxTrackedClients"] = "2" } };
        var client = factory.CreateClient();
        foreach (var peer in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.Add(NextElevenApiFactory.PeerAddressHeader, peer);
            (await client.SendAsync(request)).Dispose();
        }
        var trackedBefore = TrackedClients(factory);

        factory.Time.Advance(TimeSpan.FromHours(1));
        var next = HttpRequests.Chat("""{"message":"Hi"}""");
        next.Headers.Add(NextElevenApiFactory.PeerAddressHeader, "198.51.100.3");
        using var response = await client.SendAsync(next);

        Assert.Equal(2, trackedBefore);
        Assert.Equal(1, TrackedClients(factory));
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
    }

    [Fact]
    public async Task AdmittedAndRejectedRequestsAreCountedPerPolicy()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "2" } };
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var client = factory.CreateClient(Key);

        for (var i = 0; i < 5; i++)
        {
            (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
        }
        (await client.GetAsync("/api/system/env-status")).Dispose();

        Assert.Equal(2, metrics.Sum("nexteleven.rate_limit.requests", ("policy", "default"), ("result", "admitted")));
        Assert.Equal(3, metrics.Sum("nexteleven.rate_limit.requests", ("policy", "default"), ("result", "rejected")));
        Assert.Equal(1, metrics.Sum("nexteleven.rate_limit.requests", ("policy", "public"), ("result", "admitted")));
    }

    private static int TrackedClients(NextElevenApiFactory factory) =>
        factory.Services.GetRequiredService<MemoryRateLimitStore>()
            .TrackedClients(factory.Services.GetRequiredService<ClientRateLimiter>().Default);
}
