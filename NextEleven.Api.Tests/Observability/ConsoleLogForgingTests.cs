using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Observability;

/// <summary>The Development console, read from the real process: request data cannot forge lines or send escape sequences.</summary>
public sealed class ConsoleLogForgingTests
{
    [Fact]
    public async Task ControlCharactersFromARequestAreEscapedOnTheConsole()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.Start(folder.Path, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
        });
        using var client = await service.WaitUntilListeningAsync();

        using var forged = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            "/api/x%0d%0a[12:00:00%20INF]%20FORGED%20LINE%1b[2J%07"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.True(await service.WaitForOutputAsync("FORGED", TimeSpan.FromSeconds(10)), "the 401 was not logged");

        var console = service.StandardOutput;
        Assert.DoesNotContain(console.Split('\n'), line => line.StartsWith("[12:00:00 INF] FORGED", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', console);
        Assert.DoesNotContain('\u0007', console);
        Assert.Contains("\\r\\n[12:00:00 INF] FORGED LINE\\u001b[2J\\u0007", console, StringComparison.Ordinal);
    }
}
