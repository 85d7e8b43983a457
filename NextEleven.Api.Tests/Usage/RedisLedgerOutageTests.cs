using System.Diagnostics;
using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Usage;

/// <summary>
/// The ledger on a Redis that goes away: calls keep their status codes and latency, the outage is told
/// once, and the calls made meanwhile land in the ledger once Redis is back.
/// </summary>
public sealed class RedisLedgerOutageTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task CallsMadeWhileRedisIsAwayKeepTheirAnswersAndLandInTheLedgerWhenItReturns()
    {
        using var redis = TestRedis.StartOwn();
        using var factory = new NextElevenApiFactory
        {
            Settings =
            {
                ["ConnectionStrings:Redis"] = redis.ConnectionString,
                ["RateLimit:Redis:KeyPrefix"] = TestRedis.UniquePrefix(),
                // A dollar per input token of the offline responder: each "Hi" costs $1.
                ["Chat:Prices:nexteleven-offline-echo:Input"] = "1000000",
                ["Chat:Prices:nexteleven-offline-echo:Output"] = "0",
            },
        };
        var client = factory.CreateClient(Key);
        using (var before = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        await UsageLedgerTests.ReportOnceWrittenAsync(client, requests: 1);

        // Redis stops, and comes back empty (no persistence): what it held is gone with it, what was made meanwhile must not be.
        redis.Stop();
        for (var i = 0; i < 3; i++)
        {
            var started = Stopwatch.StartNew();
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"a call took {started.Elapsed} with Redis away");
        }
        await WaitForLogAsync(factory, "usage ledger cannot be written", TimeSpan.FromSeconds(15));
        redis.Start();
        await WaitForLogAsync(factory, "usage ledger is written again", TimeSpan.FromSeconds(45));

        var report = await UsageLedgerTests.ReportOnceWrittenAsync(client, requests: 3);
        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        Assert.Equal(3, day.GetProperty("requests").GetInt64());
        Assert.Equal(3m, day.GetProperty("cost").GetDecimal());
        Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning
            && e.RenderMessage(null).Contains("usage ledger cannot be written", StringComparison.Ordinal));
    }

    private static async Task WaitForLogAsync(NextElevenApiFactory factory, string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!factory.Logs.Events.Any(e => e.RenderMessage(null).Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(deadline.Elapsed < timeout, $"no log line saying '{text}' within {timeout}");
            await Task.Delay(100);
        }
    }
}
