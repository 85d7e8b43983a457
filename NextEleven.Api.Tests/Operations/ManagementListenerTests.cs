using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Operations;

/// <summary>The management listener on the real process, written as the Dockerfile and the systemd unit write it.</summary>
public sealed class ManagementListenerTests
{
    [Theory]
    [InlineData("http://+:{0}")]
    [InlineData("http://127.0.0.1:{0}")]
    public async Task TheScrapeIsServedOnTheManagementListenerAndNowhereElse(string format)
    {
        using var folder = new TempFolder();
        var port = LoopbackPort.Free();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["Management__Urls"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, port),
        });
        using var api = await service.WaitUntilListeningAsync();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        (await api.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", NextElevenApiFactory.TestApiKey))).Dispose();

        using var scrape = await management.GetAsync("/metrics");
        using var apiOnManagement = await management.GetAsync("/api/system/env-status");
        using var scrapeOnPublic = await api.GetAsync("/metrics");
        using var apiOnPublic = await api.GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var metrics = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("nexteleven_ready", metrics, StringComparison.Ordinal);
        // Routes as written, without a trailing slash; the service named in its resource.
        Assert.Contains("http_route=\"/api/chat\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("http_route=\"/api/chat/\"", metrics, StringComparison.Ordinal);
        Assert.Contains("service_name=\"nexteleven-api\"", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, apiOnManagement.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, scrapeOnPublic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, apiOnPublic.StatusCode);
    }
}
