using System.Net;
using System.Text.Json;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Usage;

/// <summary>Every settled call lands in the ledger (SQLite by default), and <c>GET /api/v1/usage</c> reports the key's own client from it.</summary>
public sealed class UsageLedgerTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task ASettledCallIsInTheLedgerAndTheUsageReportShowsItsDayTargetAndCost()
    {
        using var factory = FactoryFor(("Chat:Prices:grok-test:Input", "3.00"), ("Chat:Prices:grok-test:Output", "15.00"));
        var client = factory.CreateClient(Key);

        using var chat = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var report = await ReportOnceWrittenAsync(client, requests: 1);

        Assert.Equal("default", report.GetProperty("client").GetString());
        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        // The factory's clock: 2026-01-14 17:00 UTC.
        Assert.Equal("2026-01-14", day.GetProperty("date").GetString());
        Assert.Equal(12, day.GetProperty("inputTokens").GetInt64());
        Assert.Equal(5, day.GetProperty("outputTokens").GetInt64());
        Assert.Equal(0.000111m, day.GetProperty("cost").GetDecimal());
        var target = day.GetProperty("targets").GetProperty("openai-compatible/grok-test");
        Assert.Equal(1, target.GetProperty("requests").GetInt64());
        Assert.Equal(0.000111m, target.GetProperty("cost").GetDecimal());
        var limits = report.GetProperty("limits");
        Assert.Equal(100, limits.GetProperty("requests").GetProperty("limit").GetInt32());
        Assert.True(limits.GetProperty("requests").GetProperty("remaining").GetInt32() < 100);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("tokens").ValueKind);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("spend").ValueKind);
    }

    [Fact]
    public async Task WithATokenBudgetTheReportShowsWhatIsLeftOfIt()
    {
        using var factory = FactoryFor(("RateLimit:Tokens:PermitLimit", "1000"));
        var client = factory.CreateClient(Key);

        using var chat = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        var report = await ReportOnceWrittenAsync(client, requests: 1);

        var tokens = report.GetProperty("limits").GetProperty("tokens");
        Assert.Equal(1000, tokens.GetProperty("limit").GetInt32());
        // The call's 12 + 5 tokens, as its own headers said.
        Assert.Equal(983, tokens.GetProperty("remaining").GetInt32());
        Assert.Equal(chat.Headers.GetValues("X-RateLimit-Reset-Tokens").Single(), tokens.GetProperty("reset").GetString());
    }

    [Fact]
    public async Task AKeySeesOnlyItsOwnClientsUsage()
    {
        var acmeKey = ClientsFiles.NewKey();
        var otherKey = ClientsFiles.NewKey();
        using var factory = FactoryFor(("Clients:File", "clients.json"));
        File.WriteAllText(Path.Combine(factory.ContentRoot, "clients.json"), ClientsFiles.File(
            ClientsFiles.Client("acme", [acmeKey]), ClientsFiles.Client("other", [otherKey])));
        var acme = factory.CreateClient(acmeKey);
        var other = factory.CreateClient(otherKey);

        for (var i = 0; i < 3; i++)
        {
            (await acme.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", acmeKey))).Dispose();
        }
        (await other.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", otherKey))).Dispose();
        var acmeReport = await ReportOnceWrittenAsync(acme, requests: 3);
        var otherReport = await ReportOnceWrittenAsync(other, requests: 1);

        Assert.Equal("acme", acmeReport.GetProperty("client").GetString());
        Assert.Equal(3, Assert.Single(acmeReport.GetProperty("days").EnumerateArray()).GetProperty("requests").GetInt64());
        Assert.Equal("other", otherReport.GetProperty("client").GetString());
        Assert.Equal(1, Assert.Single(otherReport.GetProperty("days").EnumerateArray()).GetProperty("requests").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("401")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public async Task DaysOutsideOneToFourHundredAreABadRequest(string days)
    {
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).GetAsync($"/api/v1/usage?days={days}");

        var error = await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request",
            "Field 'days' must be a whole number from 1 to 400.");
        Assert.Equal("days", error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task WithoutAKeyTheReportIsRefused()
    {
        using var factory = FactoryFor();

        using var response = await factory.CreateClient().GetAsync("/api/v1/usage");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ALedgerThatCannotBeWrittenNeitherFailsNorHoldsRequestsAndIsToldOnce()
    {
        // The ledger's folder is a file: SQLite cannot create the database.
        var blocker = Path.Combine(Path.GetTempPath(), "nexteleven-ledger-blocker-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocker, "not a folder");
        try
        {
            using var factory = FactoryFor(("Usage:Database", Path.Combine(blocker, "usage.db")));
            var client = factory.CreateClient(Key);

            for (var i = 0; i < 3; i++)
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"a call took {started.Elapsed}");
                await Task.Delay(400);
            }
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!factory.Logs.Events.Any(IsLedgerWarning) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Single(factory.Logs.Events, IsLedgerWarning);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    private static bool IsLedgerWarning(LogEvent e) =>
        e.Level == LogEventLevel.Warning && e.RenderMessage(null).Contains("usage ledger cannot be written", StringComparison.Ordinal);

    /// <summary>The report, once the ledger holds <paramref name="requests"/> calls of today (writes leave in batches, a moment later).</summary>
    internal static async Task<JsonElement> ReportOnceWrittenAsync(HttpClient client, long requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await client.GetAsync("/api/v1/usage");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var report = await ApiAssert.Json(response);
            var days = report.GetProperty("days");
            if (days.GetArrayLength() > 0 && days[0].GetProperty("requests").GetInt64() >= requests || DateTime.UtcNow > deadline)
            {
                return report;
            }
            await Task.Delay(50);
        }
    }
}
