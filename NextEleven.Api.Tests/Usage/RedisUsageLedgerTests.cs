using System.Globalization;
using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Usage;

/// <summary>With the limits on Redis the ledger is there too: two published instances keep one ledger, which the <c>usage</c> command reads.</summary>
public sealed class RedisUsageLedgerTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task TwoInstancesOnOneRedisKeepOneLedger()
    {
        using var folder = new TempFolder();
        var prefix = TestRedis.UniquePrefix();
        var settings = new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = Key,
            ["ConnectionStrings__Redis"] = TestRedis.ConnectionString,
            ["RateLimit__Redis__KeyPrefix"] = prefix,
            ["Chat__Prices__nexteleven-offline-echo__Input"] = "1000000",
            ["Chat__Prices__nexteleven-offline-echo__Output"] = "0",
        };
        await using var first = ServiceProcess.StartInProduction(folder.Path, settings);
        await using var second = ServiceProcess.StartInProduction(folder.Path, settings);
        using var one = await first.WaitUntilListeningAsync();
        using var other = await second.WaitUntilListeningAsync();

        for (var i = 0; i < 5; i++)
        {
            using var response = await (i < 3 ? one : other).SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        one.DefaultRequestHeaders.Add("X-API-Key", Key);
        var report = await UsageLedgerTests.ReportOnceWrittenAsync(one, requests: 5);

        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        Assert.Equal(5, day.GetProperty("requests").GetInt64());
        Assert.Equal(5m, day.GetProperty("cost").GetDecimal());
        Assert.False(File.Exists(Path.Combine(folder.Path, "usage.db")), "the ledger went to SQLite, not Redis");

        var csv = await KeysCommandProcess.RunAsync(folder.Path, ["--format", "csv"], command: "usage", environment: new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = TestRedis.ConnectionString,
            ["RateLimit__Redis__KeyPrefix"] = prefix,
        });
        Assert.Equal(0, csv.ExitCode);
        var row = Assert.Single(csv.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.StartsWith($"{today},default,echo/nexteleven-offline-echo,5,5,0,", row, StringComparison.Ordinal);
        Assert.EndsWith(",5.000000", row, StringComparison.Ordinal);
    }
}
