using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using NextEleven.Api.Tests.RateLimiting;
using NextEleven.Api.Tests.Usage;
using Xunit.Abstractions;

namespace NextEleven.Api.Tests.Budgets;

/// <summary>
/// 100 calls at once against a spend budget that pays for fewer than half of them, JSON and streams on
/// both surfaces, on the memory store and on Redis (there, split between two instances sharing one
/// budget and one ledger): the admitted calls' costs never pass the budget, and afterwards the budget's
/// used amount and the ledger both equal the sum of the costs the admitted replies reported.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class SpendBudgetStressTests(ITestOutputHelper output) : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;
    private const int Calls = 100;

    // Each call: 18 estimated input tokens at $3 and 10 output tokens at $15 per million reserved (204 µ$),
    // 12 and 5 reported (111 µ$). The estimate is above the real count, so there is no error to overrun by.
    private const decimal Budget = 0.005m;

    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task AFloodNeverSpendsPastTheBudgetAndLeavesBudgetAndLedgerAtTheSumOfActualCosts(string store)
    {
        Provider.Respond = Replies.JsonOrStream("Hello");
        var settings = new List<(string, string)>
        {
            ("Chat:Prices:grok-test:Input", "3.00"), ("Chat:Prices:grok-test:Output", "15.00"), ("RateLimit:PermitLimit", "1000"),
            ("RateLimit:Spend:Limit", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (store == "redis")
        {
            settings.Add(("ConnectionStrings:Redis", TestRedis.ConnectionString));
            settings.Add(("RateLimit:Redis:KeyPrefix", TestRedis.UniquePrefix()));
        }
        using var first = FactoryFor([.. settings]);
        using var second = store == "redis" ? FactoryFor([.. settings]) : null;
        HttpClient[] instances = second is null ? [first.CreateClient(Key)] : [first.CreateClient(Key), second.CreateClient(Key)];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            var (path, stream) = (i % 4) switch
            {
                0 => ("/api/chat", false),
                1 => ("/api/chat", true),
                2 => ("/api/v1/chat/completions", false),
                _ => ("/api/v1/chat/completions", true),
            };
            var body = path == "/api/chat" ? """{"message":"Hi","maxTokens":10STREAM}""" : """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":10STREAM}""";
            var request = HttpRequests.Chat(body.Replace("STREAM", stream ? ""","stream":true""" : ""), Key);
            request.RequestUri = new Uri(path, UriKind.Relative);
            using var response = await instances[i % instances.Length].SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Each surface in its own error format: the contract's body, or OpenAI's error object.
                var error = await ApiAssert.Json(response);
                var message = path == "/api/chat" ? error.GetProperty("message") : error.GetProperty("error").GetProperty("message");
                Assert.StartsWith("Spend budget exhausted. Limit: $0.005 per 30 days.", message.GetString(), StringComparison.Ordinal);
                return (decimal?)null;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await CostReportingTests.UsageOf(response, path, stream)).GetProperty("cost").GetDecimal();
        }));

        var costs = outcomes.OfType<decimal>().ToList();
        var spent = costs.Sum();
        Assert.InRange(costs.Count, 1, Calls - 1);
        Assert.All(costs, cost => Assert.Equal(0.000111m, cost));
        output.WriteLine($"{store}: {costs.Count} of {Calls} calls admitted, ${spent} spent of ${Budget}");
        Assert.True(spent <= Budget, $"{costs.Count} admitted calls spent ${spent} of a ${Budget} budget");

        // Every instance reads the same budget and ledger, once the last settlement and ledger write are in.
        foreach (var client in instances)
        {
            var report = await UsageLedgerTests.ReportOnceWrittenAsync(client, requests: costs.Count);
            var day = Assert.Single(report.GetProperty("days").EnumerateArray());
            Assert.Equal(costs.Count, day.GetProperty("requests").GetInt64());
            Assert.Equal(spent, day.GetProperty("cost").GetDecimal());
            var budget = report.GetProperty("limits").GetProperty("spend");
            Assert.Equal(spent, budget.GetProperty("used").GetDecimal());
            Assert.Equal(Budget - spent, budget.GetProperty("remaining").GetDecimal());
        }
    }

    [Fact]
    public async Task SpendAdmittedFromMemoryDuringARedisOutageJoinsTheSharedBudgetWhenRedisIsBack()
    {
        using var redis = TestRedis.StartOwn();
        using var factory = new NextElevenApiFactory
        {
            UseSystemClock = true,
            Settings =
            {
                ["ConnectionStrings:Redis"] = $"{redis.ConnectionString},connectTimeout=500",
                ["RateLimit:Redis:KeyPrefix"] = TestRedis.UniquePrefix(),
                ["RateLimit:Spend:Limit"] = "100",
                ["RateLimit:Spend:Window"] = "month",
                // A dollar per input token of the offline responder: each "Hi" costs $1.
                ["Chat:Prices:nexteleven-offline-echo:Input"] = "1000000",
                ["Chat:Prices:nexteleven-offline-echo:Output"] = "0",
            },
        };
        var client = factory.CreateClient(Key);
        (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key))).Dispose();

        redis.Stop();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // Started again empty, as after a crash without persistence: only what memory owes can reach it.
        redis.Start();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (await SharedStoreStressTests.StoreState(client) != "redis" && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }
        await Task.Delay(500);
        using var afterOutage = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));

        // The ten dollars spent from memory are in Redis's counter of this month, then this call's: 100 - 10 - 1.
        Assert.Equal(HttpStatusCode.OK, afterOutage.StatusCode);
        Assert.Equal("89.00", SpendHeaders.From(afterOutage).RemainingText);
    }
}
