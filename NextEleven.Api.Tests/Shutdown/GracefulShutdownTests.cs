using System.Diagnostics;
using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Shutdown;

/// <summary>SIGTERM to the real process with a stream in flight: the stream gets its drain time, then an error event, and the process exits.</summary>
public sealed class GracefulShutdownTests : FakeProviderTests
{
    [Fact]
    public async Task AStreamInFlightAtShutdownEndsWithAnErrorEventAfterTheDrainTimeAndTheProcessExits()
    {
        // One delta, then the provider goes quiet for longer than anyone waits.
        Provider.Respond = Replies.Stream(["Hello"], finish: false,
            between: (context, _) => Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted));
        using var folder = new TempFolder();
        await using var service = StartOnTheProvider(folder, drainTimeout: "00:00:02", readinessDelay: "00:00:01");
        using var client = await service.WaitUntilListeningAsync();
        using var response = await client.SendAsync(
            HttpRequests.Chat("""{"message":"Hi","stream":true}""", NextElevenApiFactory.TestApiKey), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = new StreamReader(await response.Content.ReadAsStreamAsync());
        var firstLine = await body.ReadLineAsync();
        Assert.Contains("\"delta\"", firstLine, StringComparison.Ordinal);

        var stopping = Stopwatch.StartNew();
        service.Terminate();
        var rest = await body.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var streamEndedAfter = stopping.Elapsed;
        var exitCode = await service.WaitForExitAsync();

        Assert.Contains("\"type\":\"error\"", rest, StringComparison.Ordinal);
        Assert.Contains("shutting down", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", rest, StringComparison.Ordinal);
        Assert.InRange(streamEndedAfter, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"the process took {stopping.Elapsed} to exit");
        Assert.Equal(0, exitCode);
        // A drain is normal operation: one Warning line for the stream, no stack trace.
        Assert.DoesNotContain("\"@x\"", service.StandardOutput, StringComparison.Ordinal);
        Assert.True(service.StandardOutput.Split('\n').Count(line => line.Contains("drain time ran out", StringComparison.Ordinal)) == 1, service.StandardOutput);
    }

    [Fact]
    public async Task OnSigtermTheInstanceAnswersNotReadyButKeepsServingForTheReadinessDelayThenStops()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["Shutdown__ReadinessDelay"] = "00:00:03",
        });
        using var client = await service.WaitUntilListeningAsync();
        using (var before = await client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var stopping = Stopwatch.StartNew();
        service.Terminate();
        await Task.Delay(500);
        using var ready = await client.GetAsync("/readyz");
        // A new connection, as a load balancer's next request would open.
        using var fresh = new HttpClient { BaseAddress = client.BaseAddress };
        using var served = await fresh.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", NextElevenApiFactory.TestApiKey));
        var servedAfter = stopping.Elapsed;
        var exitCode = await service.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.True(servedAfter < TimeSpan.FromSeconds(3), $"checked only after {servedAfter}");
        Assert.InRange(stopping.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(15));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task ACallStillWaitingForItsProvidersFirstByteWhenTheDrainEndsGets503AskingToSendItAgain()
    {
        Provider.Respond = async context => await Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted);
        using var folder = new TempFolder();
        await using var service = StartOnTheProvider(folder, drainTimeout: "00:00:01", readinessDelay: "00:00:00");
        using var client = await service.WaitUntilListeningAsync();
        var json = client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", NextElevenApiFactory.TestApiKey));
        var stream = client.SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}""", NextElevenApiFactory.TestApiKey));
        while (Provider.Requests.Count < 2)
        {
            await Task.Delay(20);
        }

        var stopping = Stopwatch.StartNew();
        service.Terminate();
        using var jsonResponse = await json.WaitAsync(TimeSpan.FromSeconds(10));
        using var streamResponse = await stream.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"answered after {stopping.Elapsed}");
        foreach (var response in new[] { jsonResponse, streamResponse })
        {
            await ApiAssert.Error(response, HttpStatusCode.ServiceUnavailable, "Upstream unavailable",
                "The server is shutting down; send the request again.");
        }
    }

    /// <summary>The published service in Production, answering from the fake provider, with these shutdown settings.</summary>
    private ServiceProcess StartOnTheProvider(TempFolder folder, string drainTimeout, string readinessDelay) =>
        ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["GROK_API_KEY"] = "provider-key-for-the-shutdown-test-000",
            ["Chat__Endpoint"] = Provider.Endpoint.ToString(),
            ["Chat__Model"] = FakeProvider.Model,
            ["Shutdown__DrainTimeout"] = drainTimeout,
            ["Shutdown__ReadinessDelay"] = readinessDelay,
        });
}
