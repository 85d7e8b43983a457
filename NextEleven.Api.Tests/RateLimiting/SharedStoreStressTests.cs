using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>
/// The Redis store under stress, at its default timeout: two instances bursting on a healthy Redis, a
/// script cache flushed mid-flood, and whatever an instance admitted from memory reconciled into the
/// shared counters once Redis answers again. Nothing admitted may be left out of the shared budget.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class SharedStoreStressTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    private static NextElevenApiFactory Instance(string prefix, params (string Key, string Value)[] settings)
    {
        var factory = new NextElevenApiFactory
        {
            UseSystemClock = true,
            Settings =
            {
                ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
                ["RateLimit:Redis:KeyPrefix"] = prefix,
            },
        };
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        return factory;
    }

    [Fact]
    public async Task ABurstOnAHealthyRedisAcrossTwoInstancesIsExactAndMakesNoFallbackDecision()
    {
        var prefix = TestRedis.UniquePrefix();
        using var first = Instance(prefix, ("RateLimit:PermitLimit", "100"));
        using var second = Instance(prefix, ("RateLimit:PermitLimit", "100"));
        using var firstMetrics = new MetricRecorder(first.Services.GetRequiredService<RateLimitMetrics>().Meter);
        using var secondMetrics = new MetricRecorder(second.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var clients = new[] { first.CreateClient(Key), second.CreateClient(Key) };

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var response = await clients[i % 2].SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            return (response.StatusCode, RateLimitHeaders.From(response).Remaining);
        }));

        var fallbackDecisions = firstMetrics.Sum("nexteleven.rate_limit.fallback_decisions") + secondMetrics.Sum("nexteleven.rate_limit.fallback_decisions");
        output.WriteLine($"{responses.Count(r => r.StatusCode == HttpStatusCode.OK)} of 300 admitted; {fallbackDecisions} fallback decisions");
        Assert.True(fallbackDecisions == 0, $"{fallbackDecisions} fallback decisions: " + string.Join(" | ", first.Logs.Events.Concat(second.Logs.Events)
            .Where(e => e.Level >= Serilog.Events.LogEventLevel.Warning).Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture))));
        var admitted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(100, admitted.Count);
        Assert.Equal(Enumerable.Range(0, 100).Reverse(), admitted.Select(r => r.Remaining).OrderDescending());
    }

    [Fact]
    public async Task AHundredConcurrentCallsOnTwoInstancesNeverSpendMoreTokensThanTheBudget()
    {
        const long budget = 600;
        var prefix = TestRedis.UniquePrefix();
        (string, string)[] settings = [("RateLimit:Tokens:PermitLimit", $"{budget}"), ("RateLimit:PermitLimit", "1000")];
        using var first = Instance(prefix, settings);
        using var second = Instance(prefix, settings);
        using var firstMetrics = new MetricRecorder(first.Services.GetRequiredService<RateLimitMetrics>().Meter);
        using var secondMetrics = new MetricRecorder(second.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var clients = new[] { first.CreateClient(Key), second.CreateClient(Key) };

        var calls = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var response = await clients[i % 2].SendAsync(HttpRequests.Chat("""{"message":"Hello","maxTokens":30}"""));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, Tokens: response.StatusCode == HttpStatusCode.OK ? body.GetProperty("usage").GetProperty("totalTokens").GetInt64() : 0);
        }));
        using var after = await clients[1].SendAsync(HttpRequests.Chat("""{"message":"Hello","maxTokens":1}"""));

        var spent = calls.Sum(call => call.Tokens);
        var fallbackDecisions = firstMetrics.Sum("nexteleven.rate_limit.fallback_decisions") + secondMetrics.Sum("nexteleven.rate_limit.fallback_decisions");
        output.WriteLine($"{spent} tokens spent of {budget} by {calls.Count(c => c.StatusCode == HttpStatusCode.OK)} admitted calls; {fallbackDecisions} fallback decisions");
        Assert.True(spent <= budget, $"{spent} tokens spent of a budget of {budget} ({fallbackDecisions} fallback decisions)");
        Assert.Equal(0, fallbackDecisions);
        Assert.All(calls, call => Assert.Contains(call.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var remaining = TokenHeaders.From(after).Remaining;
        var usedByLast = after.StatusCode == HttpStatusCode.OK ? (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage").GetProperty("totalTokens").GetInt64() : 0;
        Assert.Equal(budget - spent - usedByLast, remaining);
    }

    [Fact]
    public async Task AScriptCacheFlushedMidFloodNeverAdmitsMoreThanTheLimit()
    {
        var prefix = TestRedis.UniquePrefix();
        using var first = Instance(prefix, ("RateLimit:PermitLimit", "30"));
        using var second = Instance(prefix, ("RateLimit:PermitLimit", "30"));
        var clients = new[] { first.CreateClient(Key), second.CreateClient(Key) };
        await using var redis = await TestRedis.ConnectAsync(TestRedis.ConnectionString);

        var flood = Enumerable.Range(0, 200).Select(async i =>
        {
            await Task.Delay(i / 4);
            using var response = await clients[i % 2].SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            return response.StatusCode;
        }).ToList();
        await Task.Delay(20);
        foreach (var endpoint in redis.GetEndPoints())
        {
            await redis.GetServer(endpoint).ScriptFlushAsync();
        }
        var statuses = await Task.WhenAll(flood);

        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task WhatAnInstanceAdmittedDuringAnOutageJoinsTheSharedCountersWhenRedisIsBackWithinTenSeconds()
    {
        using var redis = TestRedis.StartOwn();
        using var factory = new NextElevenApiFactory
        {
            UseSystemClock = true,
            Settings =
            {
                ["ConnectionStrings:Redis"] = $"{redis.ConnectionString},connectTimeout=500",
                ["RateLimit:Redis:KeyPrefix"] = TestRedis.UniquePrefix(),
                ["RateLimit:PermitLimit"] = "100",
            },
        };
        var client = factory.CreateClient(Key);
        (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();

        redis.Stop();
        var duringOutage = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
            duringOutage.Add(response.StatusCode);
        }
        // Started again empty, as after a crash without persistence: only what memory owes can reach it.
        redis.Start();
        var restarted = System.Diagnostics.Stopwatch.StartNew();
        while (await StoreState(client) != "redis" && restarted.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }
        var backAfter = restarted.Elapsed;
        output.WriteLine($"back on Redis {backAfter.TotalSeconds:0.0} s after it restarted");
        using var afterOutage = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.All(duringOutage, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.True(backAfter < TimeSpan.FromSeconds(10), $"back on Redis only after {backAfter}");
        // The ten admitted from memory are in Redis's counter, then this one: 100 - 10 - 1.
        Assert.Equal(89, RateLimitHeaders.From(afterOutage).Remaining);
    }

    /// <summary>The rate-limit store deciding now, as <c>/readyz</c> tells it.</summary>
    internal static async Task<string?> StoreState(HttpClient client)
    {
        using var status = await client.GetAsync("/readyz");
        return (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rateLimitStore").GetString();
    }
}
