using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Usage;

/// <summary>
/// 100 calls at once, JSON and streams on both surfaces, on the embedded ledger and on Redis: the ledger
/// ends up holding every one of them, and exactly the cost their replies reported.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class UsageLedgerStressTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;
    private const int Calls = 100;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task AHundredConcurrentCallsAreAllInTheLedgerWithTheirCostsSummedExactly(string store)
    {
        Provider.Respond = Replies.JsonOrStream("Hello");
        var settings = new List<(string, string)>
        {
            ("Chat:Prices:grok-test:Input", "3.00"), ("Chat:Prices:grok-test:Output", "15.00"), ("RateLimit:PermitLimit", "1000"),
        };
        if (store == "redis")
        {
            settings.Add(("ConnectionStrings:Redis", TestRedis.ConnectionString));
            settings.Add(("RateLimit:Redis:KeyPrefix", TestRedis.UniquePrefix()));
        }
        using var factory = FactoryFor([.. settings]);
        var client = factory.CreateClient(Key);

        var costs = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            var (path, stream) = (i % 4) switch
            {
                0 => ("/api/chat", false),
                1 => ("/api/chat", true),
                2 => ("/api/v1/chat/completions", false),
                _ => ("/api/v1/chat/completions", true),
            };
            var body = path == "/api/chat" ? """{"message":"Hi"STREAM}""" : """{"messages":[{"role":"user","content":"Hi"}]STREAM}""";
            var request = HttpRequests.Chat(body.Replace("STREAM", stream ? ""","stream":true""" : ""), Key);
            request.RequestUri = new Uri(path, UriKind.Relative);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await CostReportingTests.UsageOf(response, path, stream)).GetProperty("cost").GetDecimal();
        }));
        var report = await UsageLedgerTests.ReportOnceWrittenAsync(client, requests: Calls);

        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        Assert.Equal(Calls, day.GetProperty("requests").GetInt64());
        Assert.Equal(Calls * 12, day.GetProperty("inputTokens").GetInt64());
        Assert.Equal(Calls * 5, day.GetProperty("outputTokens").GetInt64());
        Assert.Equal(costs.Sum(), day.GetProperty("cost").GetDecimal());
        Assert.Equal(Calls * 0.000111m, day.GetProperty("cost").GetDecimal());
    }
}
