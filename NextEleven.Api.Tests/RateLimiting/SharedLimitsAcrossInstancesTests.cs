using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>
/// Two real service processes (the built service, as an operator runs it) on one Redis: one limit per
/// client across both, and Redis stopping and starting again under load.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class SharedLimitsAcrossInstancesTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    private static Dictionary<string, string?> Settings(string redis, int permitLimit) => new()
    {
        ["NEXTELEVEN_API_KEY"] = Key,
        ["ConnectionStrings__Redis"] = redis,
        ["RateLimit__Redis__KeyPrefix"] = TestRedis.UniquePrefix(),
        ["RateLimit__PermitLimit"] = $"{permitLimit}",
        // The tests play many clients from one machine through X-Forwarded-For, as behind a proxy.
        ["TrustedProxies"] = "127.0.0.1",
    };

    [Fact]
    public async Task TwoInstancesOnOneRedisAdmitExactlyThePermitLimitOfOneClientInTotal()
    {
        const int limit = 100;
        using var folder = new TempFolder();
        var settings = Settings(TestRedis.ConnectionString, limit);
        // At the default timeout: 300 requests at once are a burst on a healthy Redis, not an outage.
        await using var first = ServiceProcess.StartInProduction(folder.Path, settings);
        await using var second = ServiceProcess.StartInProduction(folder.Path, settings);
        using var one = await first.WaitUntilListeningAsync();
        using var other = await second.WaitUntilListeningAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? one : other).SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            return (response.StatusCode, Headers: RateLimitHeaders.From(response));
        }));

        var admitted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(limit, admitted.Count);
        Assert.Equal(300 - limit, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(Enumerable.Range(0, limit), admitted.Select(r => r.Headers.Remaining).Order());
        Assert.Single(responses.Select(r => r.Headers.ResetText).Distinct());
    }

    [Fact]
    public async Task RedisStoppingAndStartingAgainFailsNoRequestAndBothInstancesShareCountersAgain()
    {
        const int limit = 5;
        using var redis = TestRedis.StartOwn();
        using var folder = new TempFolder();
        var settings = Settings(redis.ConnectionString, limit);
        await using var first = ServiceProcess.StartInProduction(folder.Path, settings);
        await using var second = ServiceProcess.StartInProduction(folder.Path, settings);
        HttpClient[] instances = [await first.WaitUntilListeningAsync(), await second.WaitUntilListeningAsync()];
        Assert.Equal(["redis", "redis"], await StoreStates(instances));

        // Requests from ever new addresses keep both instances deciding while Redis goes away and comes back.
        using var stopLoad = new CancellationTokenSource();
        var load = KeepSending(instances, stopLoad.Token);
        await Task.Delay(500);
        redis.Stop();
        await WaitUntil(instances, "fallback", TimeSpan.FromSeconds(10));
        var decidedFromMemory = await TotalAdmitted(instances, "203.0.113.1", 2 * limit);
        redis.Start();
        await WaitUntil(instances, "redis", TimeSpan.FromSeconds(10));
        var sharedAgain = await TotalAdmitted(instances, "203.0.113.2", 2 * limit);
        await stopLoad.CancelAsync();
        var statuses = await load;

        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.True(status < 500, $"a request failed with {status} while Redis was away"));
        // From memory each instance counts on its own; on Redis again, one budget across both.
        Assert.Equal(2 * limit, decidedFromMemory);
        Assert.Equal(limit, sharedAgain);
        foreach (var instance in new[] { first, second })
        {
            Assert.True(await instance.WaitForOutputAsync("Redis answers again", TimeSpan.FromSeconds(5)));
            Assert.Equal(1, Occurrences(instance.StandardOutput, "did not answer"));
            Assert.Equal(1, Occurrences(instance.StandardOutput, "Redis answers again"));
        }
        foreach (var instance in instances)
        {
            instance.Dispose();
        }
    }

    private static async Task<List<int>> KeepSending(HttpClient[] instances, CancellationToken stop)
    {
        var statuses = new List<int>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            using var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.Add("X-Forwarded-For", $"198.18.{i / 250 % 250}.{i % 250 + 1}");
            using var response = await instances[i % 2].SendAsync(request, CancellationToken.None);
            Assert.True(response.Headers.Contains("X-RateLimit-Remaining"), "every decision carries its headers");
            statuses.Add((int)response.StatusCode);
            await Task.Delay(10, CancellationToken.None);
        }
        return statuses;
    }

    /// <summary>How many of a fresh client's requests, sent alternately to both instances, are let through the limiter.</summary>
    private static async Task<int> TotalAdmitted(HttpClient[] instances, string address, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            using var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await instances[i % 2].SendAsync(request);
            // No key: the limiter lets it through to a 401, or refuses it with a 429.
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
            admitted += response.StatusCode == HttpStatusCode.Unauthorized ? 1 : 0;
        }
        return admitted;
    }

    private static async Task WaitUntil(HttpClient[] instances, string state, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        string[] states;
        while (!(states = await StoreStates(instances)).All(s => s == state))
        {
            Assert.True(DateTime.UtcNow < deadline, $"after {within.TotalSeconds} s the stores are [{string.Join(", ", states)}], not {state}");
            await Task.Delay(100);
        }
    }

    private static async Task<string[]> StoreStates(HttpClient[] instances) => await Task.WhenAll(instances.Select(async instance =>
    {
        // Each look from an address of its own, so the public policy's budget never runs out.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/system/env-status");
        request.Headers.Add("X-Forwarded-For", $"192.0.2.{Random.Shared.Next(1, 255)}");
        request.Headers.Add("X-API-Key", Key);
        using var response = await instance.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rateLimitStore").GetString()!;
    }));

    private static int Occurrences(string text, string part) =>
        text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
