using System.Globalization;
using System.Net;
using System.Text.Json;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Usage;

/// <summary>The published process on the embedded ledger: a restart keeps every call, and the <c>usage</c> command reads the same file.</summary>
public sealed class UsageLedgerProcessTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task RestartsOnTheSameFileKeepEveryCallAndTheUsageCommandReportsThem()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = Key,
            // A dollar per input token of the offline responder, output free: each "Hi" (one token) costs $1.
            ["Chat__Prices__nexteleven-offline-echo__Input"] = "1000000",
            ["Chat__Prices__nexteleven-offline-echo__Output"] = "0",
            ["Shutdown__ReadinessDelay"] = "00:00:00",
        };
        // Two runs of two calls each, each stopped at once: what is still queued is written at shutdown.
        for (var run = 0; run < 2; run++)
        {
            await using var service = ServiceProcess.StartInProduction(folder.Path, settings);
            using var client = await service.WaitUntilListeningAsync();
            for (var i = 0; i < 2; i++)
            {
                using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            service.Terminate();
            Assert.Equal(0, await service.WaitForExitAsync());
        }

        JsonElement day;
        await using (var third = ServiceProcess.StartInProduction(folder.Path, settings))
        {
            using var client = await third.WaitUntilListeningAsync();
            client.DefaultRequestHeaders.Add("X-API-Key", Key);
            using var report = await client.GetAsync("/api/v1/usage?days=1");
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
            day = Assert.Single((await ApiAssert.Json(report)).GetProperty("days").EnumerateArray());
        }
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(today, day.GetProperty("date").GetString());
        Assert.Equal(4, day.GetProperty("requests").GetInt64());
        Assert.Equal(4m, day.GetProperty("cost").GetDecimal());

        var csv = await KeysCommandProcess.RunAsync(folder.Path, ["--format", "csv"], command: "usage");
        var json = await KeysCommandProcess.RunAsync(folder.Path, ["--format", "json", "--client", "default", "--from", today, "--to", today],
            command: "usage");
        var table = await KeysCommandProcess.RunAsync(folder.Path, [], command: "usage");

        Assert.Equal(0, csv.ExitCode);
        var lines = csv.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("date,client,target,requests,input_tokens,cached_input_tokens,output_tokens,cost_usd", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.StartsWith($"{today},default,echo/nexteleven-offline-echo,4,4,0,", row, StringComparison.Ordinal);
        Assert.EndsWith(",4.000000", row, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        var entry = Assert.Single(JsonDocument.Parse(json.StandardOutput).RootElement.EnumerateArray());
        Assert.Equal(4, entry.GetProperty("requests").GetInt64());
        Assert.Equal("echo/nexteleven-offline-echo", entry.GetProperty("target").GetString());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("total", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("4.000000", table.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining-Tokens", null)]
    [InlineData("X-RateLimit-Remaining-Spend", "30.00:00:00")]
    [InlineData("X-RateLimit-Remaining-Spend", "month")]
    public async Task AfterARestartOnTheMemoryStoreATokenOrSpendBudgetCarriesOnWhereItWas(string header, string? spendWindow)
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = Key,
            ["RateLimit__Tokens__PermitLimit"] = "100000",
            ["Shutdown__ReadinessDelay"] = "00:00:00",
        };
        if (spendWindow is not null)
        {
            // The offline responder priced so that a call's input costs whole dollars: 1 per input token.
            settings["RateLimit__Spend__Limit"] = "1000";
            settings["RateLimit__Spend__Window"] = spendWindow;
            settings["Chat__Prices__nexteleven-offline-echo__Input"] = "1000000";
            settings["Chat__Prices__nexteleven-offline-echo__Output"] = "0";
        }
        decimal afterFirst;
        await using (var service = ServiceProcess.StartInProduction(folder.Path, settings))
        {
            using var client = await service.WaitUntilListeningAsync();
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            afterFirst = Remaining(response, header);
            service.Terminate();
            Assert.Equal(0, await service.WaitForExitAsync());
        }

        await using var restarted = ServiceProcess.StartInProduction(folder.Path, settings);
        using var again = await restarted.WaitUntilListeningAsync();
        using var second = await again.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
        var afterSecond = Remaining(second, header);

        // The same call twice: the second one leaves what the first left, less the same again.
        var perCall = (spendWindow is null ? 100_000 : 1000) - afterFirst;
        Assert.True(perCall > 0);
        Assert.Equal(afterFirst - perCall, afterSecond);
        Assert.True(await restarted.WaitForOutputAsync("carry on from the usage ledger", TimeSpan.FromSeconds(5)));
    }

    private static decimal Remaining(HttpResponseMessage response, string header) =>
        decimal.Parse(response.Headers.GetValues(header).Single(), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("--from", "yesterday")]
    [InlineData("--format", "xml")]
    [InlineData("--bogus", "1")]
    public async Task TheUsageCommandRefusesBadArgumentsWithExitCodeTwo(string option, string value)
    {
        using var folder = new TempFolder();

        var outcome = await KeysCommandProcess.RunAsync(folder.Path, [option, value], command: "usage");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Empty(outcome.StandardOutput);
        Assert.False(string.IsNullOrWhiteSpace(outcome.StandardError));
    }

    [Fact]
    public async Task TheUsageCommandSaysSoWhenThereIsNoLedger()
    {
        using var folder = new TempFolder();

        var outcome = await KeysCommandProcess.RunAsync(folder.Path, [], command: "usage");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("no ledger", outcome.StandardError, StringComparison.Ordinal);
    }
}
