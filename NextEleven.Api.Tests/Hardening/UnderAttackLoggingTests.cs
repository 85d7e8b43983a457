using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.Observability;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Hardening;

public sealed class UnderAttackLoggingTests
{
    [Fact]
    public async Task AFloodOfBadKeysLogsItsFirstLineThenOneSummaryAndNeverAKey()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "1000" } };
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var client = factory.CreateClient();
        var keys = Enumerable.Range(0, 40).Select(i => $"guessed-key-{i:D4}-aaaaaaaaaaaaaaaaaaaaaaaa").ToList();
        var ids = new List<string>();
        foreach (var key in keys)
        {
            var request = HttpRequests.Chat("""{"message":"Hi"}""", key);
            request.Headers.Add(NextElevenApiFactory.PeerAddressHeader, "203.0.113.66");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            ids.Add(ApiAssert.RequestId(response));
        }

        var first = await factory.Logs.RequestLineAsync(ids[0]);
        Assert.Equal(LogEventLevel.Warning, first.Level);
        Assert.Equal("\"203.0.113.66\"", first.Properties["ClientAddress"].ToString());
        Assert.Matches("^\"invalid_[0-9a-f]{8}\"$", first.Properties["KeyId"].ToString());
        Assert.Null(first.Exception);
        Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning);
        Assert.Equal(39, metrics.Sum("nexteleven.log.suppressed_rejections", ("status", "401")));

        // The summary comes at the next interval: the client, its budget and how many were not logged.
        factory.Time.Advance(RejectionLogSampler.SummaryInterval);
        var summary = await WaitForAsync(factory, e => e.Properties.ContainsKey("Rejected"));
        Assert.Equal(LogEventLevel.Warning, summary.Level);
        Assert.Equal("39", summary.Properties["Rejected"].ToString());
        Assert.Equal("401", summary.Properties["StatusCode"].ToString());
        Assert.Equal("\"anonymous\"", summary.Properties["ClientId"].ToString());
        Assert.Equal("\"ip:203.0.113.66\"", summary.Properties["Partition"].ToString());
        Assert.Equal("\"default\"", summary.Properties["Policy"].ToString());
        Assert.Equal(2, factory.Logs.Events.Count(e => e.Level == LogEventLevel.Warning));
        Assert.DoesNotContain(factory.Logs.Events, e => e.Exception is not null || e.Level >= LogEventLevel.Error);
        var everything = factory.Logs.RenderAll();
        Assert.All(keys, key => Assert.DoesNotContain(key, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A429FloodOfOversizedHeadersIsSampledLikeAnyOther()
    {
        // Refused before the key is read, yet decided on the address's budget like every /api request:
        // the sampler sees the decision, so a flood costs one line and a summary, not a line each.
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["Limits:MaxRequestHeadersBytes"] = "2048", ["RateLimit:PermitLimit"] = "1" },
        };
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var client = factory.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.Add("X-Padding", new string('a', 3000));
            using var response = await client.SendAsync(request);
            Assert.Equal(i == 0 ? HttpStatusCode.RequestHeaderFieldsTooLarge : HttpStatusCode.TooManyRequests, response.StatusCode);
            ids.Add(ApiAssert.RequestId(response));
        }

        var firstRefusal = await factory.Logs.RequestLineAsync(ids[1]);
        Assert.Equal("429", firstRefusal.Properties["StatusCode"].ToString());
        Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning);
        Assert.Equal(19, metrics.Sum("nexteleven.log.suppressed_rejections", ("status", "429")));
        factory.Time.Advance(RejectionLogSampler.SummaryInterval);
        var summary = await WaitForAsync(factory, e => e.Properties.ContainsKey("Rejected"));
        Assert.Equal("19", summary.Properties["Rejected"].ToString());
        Assert.Equal("429", summary.Properties["StatusCode"].ToString());
    }

    [Fact]
    public async Task A429FloodIsSummarisedPerClientAndEachNewWindowLogsItsFirstAgain()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "2" } };
        var client = factory.CreateClient(NextElevenApiFactory.TestApiKey);
        async Task<List<string>> Flood(int count)
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
                ids.Add(ApiAssert.RequestId(response));
            }
            return ids;
        }

        var firstWindow = await Flood(12);
        await factory.Logs.RequestLineAsync(firstWindow[2]);
        // A probe from another address is its own client: its first rejection is logged too.
        var other = HttpRequests.Chat("""{"message":"Hi"}""");
        other.Headers.Add(NextElevenApiFactory.PeerAddressHeader, "192.0.2.200");
        using (var otherResponse = await factory.CreateClient().SendAsync(other))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherResponse.StatusCode);
            await factory.Logs.RequestLineAsync(ApiAssert.RequestId(otherResponse));
        }
        Assert.Equal(2, factory.Logs.Events.Count(e => e.Level == LogEventLevel.Warning));

        // The window ends (an hour by default): its summary is written, and the next window starts logging afresh.
        factory.Time.Advance(TimeSpan.FromHours(1));
        var summary = await WaitForAsync(factory, e => e.Properties.ContainsKey("Rejected"));
        Assert.Equal("9", summary.Properties["Rejected"].ToString());
        Assert.Equal("429", summary.Properties["StatusCode"].ToString());
        Assert.Equal("\"default\"", summary.Properties["ClientId"].ToString());
        Assert.Equal("\"client:default\"", summary.Properties["Partition"].ToString());
        var secondWindow = await Flood(4);
        var line = await factory.Logs.RequestLineAsync(secondWindow[2]);
        Assert.Equal(LogEventLevel.Warning, line.Level);
        Assert.Equal("429", line.Properties["StatusCode"].ToString());
        Assert.DoesNotContain(factory.Logs.Events, e => e.Properties.TryGetValue("RequestId", out var id)
            && id.ToString() == $"\"{secondWindow[3]}\"");
    }

    private static async Task<LogEvent> WaitForAsync(NextElevenApiFactory factory, Func<LogEvent, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (factory.Logs.Events.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task BadInputLogsNoExceptionStack()
    {
        using var factory = new NextElevenApiFactory();
        var client = factory.CreateClient(NextElevenApiFactory.TestApiKey);

        foreach (var json in new[] { "{", """{"message":5}""", "\"x\"", """{"message":"\ud800"}""" })
        {
            using var response = await client.SendAsync(HttpRequests.Chat(json));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await factory.Logs.RequestLineAsync(ApiAssert.RequestId(response));
        }

        Assert.DoesNotContain(factory.Logs.Events, e => e.Exception is not null);
    }
}
