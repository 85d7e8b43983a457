using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.RateLimiting.Redis;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;
using StackExchange.Redis;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>The Redis store through HTTP, against a real Redis-protocol server (see <see cref="TestRedis"/>).</summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class RedisStoreTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    private static NextElevenApiFactory OnRedis(int permitLimit, string? connectionString = null, string? window = null)
    {
        var factory = new NextElevenApiFactory
        {
            UseSystemClock = true,
            Settings =
            {
                ["ConnectionStrings:Redis"] = connectionString ?? TestRedis.ConnectionString,
                ["RateLimit:Redis:KeyPrefix"] = TestRedis.UniquePrefix(),
                ["RateLimit:PermitLimit"] = $"{permitLimit}",
            },
        };
        if (window is not null)
        {
            factory.Settings["RateLimit:Window"] = window;
        }
        return factory;
    }

    private static async Task<string?> StoreState(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/system/env-status");
        request.Headers.Add("X-API-Key", Key);
        using var status = await client.SendAsync(request);
        return (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rateLimitStore").GetString();
    }

    [Fact]
    public async Task TheRedisStoreAnswersWithTheSameHeadersAsMemory()
    {
        using var onRedis = OnRedis(permitLimit: 3);
        using var inMemory = new NextElevenApiFactory { UseSystemClock = true, Settings = { ["RateLimit:PermitLimit"] = "3" } };
        var redisClient = onRedis.CreateClient(Key);
        var memoryClient = inMemory.CreateClient(Key);

        for (var i = 0; i < 4; i++)
        {
            using var fromRedis = await redisClient.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            using var fromMemory = await memoryClient.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

            Assert.Equal(fromMemory.StatusCode, fromRedis.StatusCode);
            var redis = RateLimitHeaders.From(fromRedis);
            var memory = RateLimitHeaders.From(fromMemory);
            Assert.Equal(memory with { RateLimit = "", }, redis with { RateLimit = "" });
            // t= counts whole seconds to Reset; the two requests may straddle a second.
            Assert.Matches("^\"default\";r=" + memory.Remaining + ";t=\\d+$", redis.RateLimit);
        }
        Assert.Equal("redis", await StoreState(redisClient));
        Assert.Equal("memory", await StoreState(memoryClient));
        using var metrics = new MetricRecorder(onRedis.Services.GetRequiredService<RateLimitMetrics>().Meter);
        Assert.Equal(1, metrics.Observe("nexteleven.rate_limit.store", ("store", "redis")));
    }

    [Fact]
    public async Task UnderConcurrencyExactlyThePermitLimitIsAdmittedWithEachRemainingSeenOnce()
    {
        const int limit = 50;
        using var factory = OnRedis(permitLimit: limit);
        // At the default timeout: 300 requests at once on a small machine are a burst, not an outage.
        var client = factory.CreateClient(Key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            return (response.StatusCode, RateLimitHeaders.From(response));
        }));

        var admitted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(limit, admitted.Count);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Equal(Enumerable.Range(0, limit), admitted.Select(r => r.Item2.Remaining).Order());
        Assert.Single(responses.Select(r => r.Item2.ResetText).Distinct());
    }

    [Fact]
    public async Task ANewWindowOnTheRedisClockGivesAFreshBudget()
    {
        using var factory = OnRedis(permitLimit: 2, window: "00:00:02");
        var client = factory.CreateClient(Key);
        // The two admissions and the refusal must share one window: if the first call (which connects,
        // and on a cluster finds its node) left less than a second of its window, start in the next one.
        var first = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        var firstReset = RateLimitHeaders.From(first).Reset;
        first.Dispose();
        if (firstReset - DateTimeOffset.UtcNow < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(firstReset - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100));
            (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
        }
        (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
        using var rejected = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        var reset = RateLimitHeaders.From(rejected).Reset;

        await Task.Delay(reset - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100));
        using var afterReset = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        var fresh = RateLimitHeaders.From(afterReset);
        Assert.Equal(1, fresh.Remaining);
        Assert.True(fresh.Reset > reset, $"Reset {fresh.ResetText} should be after {reset:O}");
    }

    [Fact]
    public async Task AClientOverItsLimitIsAnsweredWithoutAskingRedisUntilItsReset()
    {
        using var factory = OnRedis(permitLimit: 2);
        var client = factory.CreateClient(Key);
        for (var i = 0; i < 3; i++)
        {
            (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
        }

        // With its counter gone from Redis, only the local memory of the exhausted client can still refuse it.
        await using var redis = await TestRedis.ConnectAsync(TestRedis.ConnectionString);
        var prefix = factory.Settings["RateLimit:Redis:KeyPrefix"];
        var counters = redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: prefix + "rl:*").ToList();
        Assert.Single(counters);
        await redis.GetDatabase().KeyDeleteAsync(counters[0]);
        using var stillRefused = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        using var otherClient = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", apiKey: ""));

        Assert.Equal(HttpStatusCode.TooManyRequests, stillRefused.StatusCode);
        Assert.Equal(0, RateLimitHeaders.From(stillRefused).Remaining);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(counters[0]), "a refused client must not reach Redis");
        Assert.Equal(HttpStatusCode.Unauthorized, otherClient.StatusCode);
        Assert.Equal(1, RateLimitHeaders.From(otherClient).Remaining);
    }

    [Fact]
    public async Task CountersAreHashTaggedPerClientPrefixedAndExpireAfterTheirWindow()
    {
        using var factory = OnRedis(permitLimit: 5, window: "00:01:00");
        var client = factory.CreateClient();
        var anonymous = HttpRequests.Chat("""{"message":"Hi"}""");
        anonymous.Headers.Add(NextElevenApiFactory.PeerAddressHeader, "198.51.100.7");
        (await client.SendAsync(anonymous)).Dispose();

        await using var redis = await TestRedis.ConnectAsync(TestRedis.ConnectionString);
        var prefix = factory.Settings["RateLimit:Redis:KeyPrefix"];
        var key = (RedisKey)$"{prefix}rl:{{ip:198.51.100.7}}:default";
        var counter = await redis.GetDatabase().HashGetAllAsync(key);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);

        Assert.Equal("1", counter.Single(entry => entry.Name == "n").Value.ToString());
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(CounterScript.GraceMilliseconds));
    }

    [Fact]
    public async Task AFlushedScriptCacheIsLoadedAgainWithoutLeavingRedis()
    {
        using var factory = OnRedis(permitLimit: 10);
        var client = factory.CreateClient(Key);
        (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
        await using var redis = await TestRedis.ConnectAsync(TestRedis.ConnectionString);
        // The node that holds the client's counter (the only one in a single server, one of several in a cluster).
        var counter = factory.Settings["RateLimit:Redis:KeyPrefix"] + "rl:{client:default}:default";
        var server = redis.GetServer((await redis.GetDatabase().IdentifyEndpointAsync(counter))!);

        foreach (var endpoint in redis.GetEndPoints())
        {
            await redis.GetServer(endpoint).ScriptFlushAsync();
        }
        Assert.False(await ScriptIsCached(server));
        using var afterFlush = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.Equal(HttpStatusCode.OK, afterFlush.StatusCode);
        Assert.Equal(8, RateLimitHeaders.From(afterFlush).Remaining);
        Assert.True(await ScriptIsCached(server));
        Assert.Equal("redis", await StoreState(client));
        Assert.DoesNotContain(factory.Logs.Events, e => e.Level >= LogEventLevel.Warning);
    }

    [Fact]
    public async Task RedisUnreachableAtStartDecidesFromMemoryWithOneWarning()
    {
        using var factory = OnRedis(permitLimit: 3, connectionString: $"127.0.0.1:{LoopbackPort.Free()},connectTimeout=500");
        var client = factory.CreateClient(Key);
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            responses.Add(await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""")));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            responses.Select(r => r.StatusCode));
        Assert.Equal([2, 1, 0, 0], responses.Select(r => RateLimitHeaders.From(r).Remaining));
        Assert.Equal("fallback", await StoreState(client));
        Assert.Equal(4, metrics.Sum("nexteleven.rate_limit.fallback_decisions", ("policy", "default")));
        Assert.Equal(1, metrics.Observe("nexteleven.rate_limit.store", ("store", "fallback")));
        Assert.Equal(0, metrics.Observe("nexteleven.rate_limit.store", ("store", "redis")));
        Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning
            && e.MessageTemplate.Text.Contains("this instance's memory", StringComparison.Ordinal));
        responses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task ASlowRedisNeverHoldsARequestPastTheTimeoutAndIsUsedAgainOnceItAnswers()
    {
        using var redis = TestRedis.StartOwn();
        await using var network = new StallingProxy(redis.Port);
        using var factory = OnRedis(permitLimit: 10, connectionString: $"127.0.0.1:{network.Port}");
        factory.Settings["RateLimit:Redis:Timeout"] = "00:00:00.200";
        var client = factory.CreateClient(Key);
        using var onRedis = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        network.Stall();
        var stalled = new List<(HttpStatusCode Status, int Remaining, TimeSpan Took)>();
        for (var i = 0; i < RedisRateLimitStore.FailuresBeforeFallback + 1; i++)
        {
            var started = TimeProvider.System.GetTimestamp();
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            stalled.Add((response.StatusCode, RateLimitHeaders.From(response).Remaining, TimeProvider.System.GetElapsedTime(started)));
        }
        var stateWhileStalled = await StoreState(client);
        network.Release();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await StoreState(client) != "redis" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        using var backOnRedis = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.Equal(9, RateLimitHeaders.From(onRedis).Remaining);
        // Decided from this instance's memory, which has counted only these requests.
        Assert.Equal([9, 8, 7, 6], stalled.Select(s => s.Remaining));
        Assert.All(stalled, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.All(stalled, s => Assert.True(s.Took < TimeSpan.FromSeconds(2), $"a request waited {s.Took} on a stalled Redis"));
        Assert.Equal("fallback", stateWhileStalled);
        Assert.Equal(HttpStatusCode.OK, backOnRedis.StatusCode);
        // Redis counted its own first request, plus any stalled call that landed after its timeout: never fewer.
        Assert.InRange(RateLimitHeaders.From(backOnRedis).Remaining, 4, 8);
    }

    private static async Task<bool> ScriptIsCached(IServer server)
    {
        var exists = await server.ExecuteAsync("SCRIPT", "EXISTS", PermitScript.Script.Sha1Hex);
        return (long)((RedisResult[])exists!)[0] == 1;
    }
}
