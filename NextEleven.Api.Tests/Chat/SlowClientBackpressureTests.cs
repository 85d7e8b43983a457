using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Chat;

/// <summary>
/// A client that reads a stream slowly holds it back all the way to the provider: the service reads the
/// provider only as fast as its client takes the events, so it never buffers a whole stream, and nothing
/// is lost on the way. The published process, over real sockets.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class SlowClientBackpressureTests : FakeProviderTests
{
    /// <summary>About 25 MB of the provider's events: far more than every buffer on the way (Kestrel's, the kernel's) holds.</summary>
    private const int Pieces = 150_000;

    [Theory]
    [InlineData("/api/chat", """{"message":"Hi","stream":true}""")]
    [InlineData("/api/v1/chat/completions", """{"model":"grok-test","stream":true,"messages":[{"role":"user","content":"Hi"}]}""")]
    public async Task AClientThatStopsReadingHoldsTheProviderBackAndThenGetsEveryPiece(string path, string body)
    {
        var written = 0;
        Provider.Respond = Replies.Stream([.. Enumerable.Repeat("piece ", Pieces)],
            between: (_, i) => { Volatile.Write(ref written, i + 1); return Task.CompletedTask; });
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["GROK_API_KEY"] = ProviderKey,
            ["Chat__Endpoint"] = Provider.Endpoint.ToString(),
            ["Chat__Model"] = FakeProvider.Model,
        });
        using var client = await service.WaitUntilListeningAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", NextElevenApiFactory.TestApiKey);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var start = new byte[4096];
        await stream.ReadAtLeastAsync(start, start.Length);

        // The client stops reading: whatever the provider manages to write meanwhile is what sits in buffers.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var writtenWhileStalled = Volatile.Read(ref written);
        using var reader = new StreamReader(stream);
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(writtenWhileStalled < Pieces / 2,
            $"the provider wrote {writtenWhileStalled} of {Pieces} pieces while the client read nothing: the service is buffering the stream");
        Assert.Equal(Pieces, Volatile.Read(ref written));
        var text = System.Text.Encoding.UTF8.GetString(start) + rest;
        Assert.Equal(Pieces, Occurrences(text, "\"piece \""));
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
