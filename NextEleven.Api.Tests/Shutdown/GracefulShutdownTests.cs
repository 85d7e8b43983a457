using System.Diagnostics;
using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Shutdown;

/// <summary>SIGTERM to the real process with a stream in flight: the stream gets its drain time, then an error event, and the process exits.</summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private FakeProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task AStreamInFlightAtShutdownEndsWithAnErrorEventAfterTheDrainTimeAndTheProcessExits()
    {
        // One delta, then the provider goes quiet for longer than anyone waits.
        _provider.Respond = Replies.Stream(["Hello"], finish: false,
            between: (context, _) => Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted));
        using var folder = new TempFolder();
        await using var service = ServiceProcess.Start(folder.Path, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["GROK_API_KEY"] = "provider-key-for-the-shutdown-test-000",
            ["Chat__Endpoint"] = _provider.Endpoint.ToString(),
            ["Chat__Model"] = FakeProvider.Model,
            ["Shutdown__DrainTimeout"] = "00:00:02",
        });
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
    }
}
