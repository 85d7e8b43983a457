using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NextEleven.Api.Tests.Chat;

/// <summary>
/// A client that reads a stream slowly holds it back all the way to the provider: the service reads the
/// provider only as fast as its client takes the events, so it never buffers a whole stream, and nothing
/// is lost on the way. The published process, over real sockets.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class SlowClientBackpressureTests(ITestOutputHelper output) : FakeProviderTests
{
    /// <summary>
    /// 4,000 pieces of 16 KB, 64 MB: several times what the kernel's socket buffers on the way can hold
    /// (they grow to a few MB each on loopback), so what the provider gets to write while the client reads
    /// nothing shows whether the service holds the rest back.
    /// </summary>
    private const int Pieces = 4_000;

    private static readonly string Piece = "#" + new string('x', 16 * 1024 - 1);

    [Theory]
    [InlineData("/api/chat", """{"message":"Hi","stream":true}""")]
    [InlineData("/api/v1/chat/completions", """{"model":"grok-test","stream":true,"messages":[{"role":"user","content":"Hi"}]}""")]
    public async Task AClientThatStopsReadingHoldsTheProviderBackAndThenGetsEveryPiece(string path, string body)
    {
        var written = 0;
        Provider.Respond = Replies.Stream([.. Enumerable.Repeat(Piece, Pieces)],
            between: (_, i) => { Volatile.Write(ref written, i + 1); return Task.CompletedTask; });
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["GROK_API_KEY"] = ProviderKey,
            ["Chat__Endpoint"] = Provider.Endpoint.ToString(),
            ["Chat__Model"] = FakeProvider.Model,
        });
        using var listening = await service.WaitUntilListeningAsync();
        // A client socket with a small fixed receive buffer: the kernel does not grow it, so it holds 64 KB, not megabytes.
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                {
                    ReceiveBufferSize = 64 * 1024,
                };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = listening.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", NextElevenApiFactory.TestApiKey);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        var read = await stream.ReadAtLeastAsync(buffer, 4096);
        var pieces = buffer.AsSpan(0, read).Count((byte)'#');

        // The client stops reading: whatever the provider manages to write meanwhile is what sits in buffers.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var writtenWhileStalled = Volatile.Read(ref written);
        var tail = Array.Empty<byte>();
        using (var reading = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while ((read = await stream.ReadAsync(buffer, reading.Token)) > 0)
            {
                pieces += buffer.AsSpan(0, read).Count((byte)'#');
                tail = [.. tail, .. buffer.AsSpan(0, read)];
                tail = tail[Math.Max(0, tail.Length - 64)..];
            }
        }

        output.WriteLine($"{path}: the provider wrote {writtenWhileStalled} of {Pieces} pieces while the client read nothing");
        Assert.True(writtenWhileStalled < Pieces / 2,
            $"the provider wrote {writtenWhileStalled} of {Pieces} pieces while the client read nothing: the service is buffering the stream");
        Assert.Equal(Pieces, Volatile.Read(ref written));
        Assert.Equal(Pieces, pieces);
        Assert.EndsWith("data: [DONE]\n\n", System.Text.Encoding.UTF8.GetString(tail), StringComparison.Ordinal);
    }
}
