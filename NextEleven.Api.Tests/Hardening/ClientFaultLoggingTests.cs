using System.Net.Sockets;
using System.Text;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Hardening;

/// <summary>
/// Bodies the server itself finds wrong, sent over a raw socket to the real process: each is answered
/// with the contract's JSON error and logged as a client fault, one line, no stack trace, never as Error.
/// </summary>
public sealed class ClientFaultLoggingTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    public static TheoryData<string, string, int> Faults() => new()
    {
        { "a chunked body over the limit", Chunked(new string('a', 4096)), 413 },
        { "a bad chunk size", $"POST /api/chat HTTP/1.1\r\nHost: x\r\nX-API-Key: {Key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ABodyTheServerRefusesIsAClientFaultNotAnError(string situation, string request, int status)
    {
        await using var service = await StartAsync();

        var response = await SendRawAsync(service.Port, request, TimeSpan.FromSeconds(10));

        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Contains("\"requestId\"", response, StringComparison.Ordinal);
        await AssertLoggedAsClientFault(service.Process, status, situation);
    }

    [Fact]
    public async Task ABodySentTooSlowlyGets408AndIsAClientFault()
    {
        await using var service = await StartAsync();

        // Headers promise 100 bytes, one arrives: Kestrel's minimum body data rate (240 bytes/s after a
        // 5 s grace period) ends the wait.
        var response = await SendRawAsync(service.Port,
            $"POST /api/chat HTTP/1.1\r\nHost: x\r\nX-API-Key: {Key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
            TimeSpan.FromSeconds(20));

        Assert.StartsWith("HTTP/1.1 408 ", response, StringComparison.Ordinal);
        await AssertLoggedAsClientFault(service.Process, 408, "a slow body");
    }

    private static string Chunked(string content) =>
        $"POST /api/chat HTTP/1.1\r\nHost: x\r\nX-API-Key: {Key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + $"{content.Length:x}\r\n{content}\r\n0\r\n\r\n";

    private static async Task AssertLoggedAsClientFault(ServiceProcess process, int status, string situation)
    {
        Assert.True(await process.WaitForOutputAsync($"\"StatusCode\":{status}", TimeSpan.FromSeconds(10)), $"{situation}: no request line");
        var output = process.StandardOutput;
        Assert.DoesNotContain("\"@l\":\"Error\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"@l\":\"Fatal\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"@x\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<string> SendRawAsync(int port, string request, TimeSpan timeout)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var deadline = new CancellationTokenSource(timeout);
        var response = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, deadline.Token)) > 0)
        {
            response.Append(buffer, 0, read);
            if (response.ToString().Contains('}'))
            {
                break;
            }
        }
        return response.ToString();
    }

    private static async Task<RunningService> StartAsync()
    {
        var folder = new TempFolder();
        var process = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = Key,
            ["Limits__MaxRequestBodyBytes"] = "1024",
        });
        using var client = await process.WaitUntilListeningAsync();
        return new RunningService(folder, process, client.BaseAddress!.Port);
    }

    private sealed record RunningService(TempFolder Folder, ServiceProcess Process, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            Folder.Dispose();
        }
    }
}
