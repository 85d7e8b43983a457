using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Hardening;

public sealed class UnderAttackLoggingTests
{
    [Fact]
    public async Task AFloodOfBadKeysLogsOneWarningEachWithAddressAndFingerprintButNeverAKey()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "1000" } };
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

        var lines = new List<LogEvent>();
        foreach (var id in ids)
        {
            lines.Add(await factory.Logs.RequestLineAsync(id));
        }

        Assert.All(lines, line =>
        {
            Assert.Equal(LogEventLevel.Warning, line.Level);
            Assert.Equal("\"203.0.113.66\"", line.Properties["ClientAddress"].ToString());
            Assert.Matches("^\"invalid_[0-9a-f]{8}\"$", line.Properties["KeyId"].ToString());
            Assert.Null(line.Exception);
        });
        Assert.Equal(keys.Count, lines.Select(l => l.Properties["KeyId"].ToString()).Distinct().Count());
        Assert.DoesNotContain(factory.Logs.Events, e => e.Exception is not null || e.Level >= LogEventLevel.Error);
        Assert.Equal(keys.Count, factory.Logs.Events.Count(e => e.Level == LogEventLevel.Warning));
        var everything = factory.Logs.RenderAll();
        Assert.All(keys, key => Assert.DoesNotContain(key, everything, StringComparison.Ordinal));
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
