using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>A Serilog sink that keeps every event of one host, so tests can read what was logged.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Every event as text: message, every property and any exception, as a sink would write them.</summary>
    public string RenderAll() => string.Join('\n', _events.Select(e =>
        $"{e.Level} {e.RenderMessage(CultureInfo.InvariantCulture)} " +
        string.Join(' ', e.Properties.Select(p => $"{p.Key}={p.Value}")) +
        $" {e.Exception}"));

    /// <summary>
    /// The request-log line of a request. It is written as the request completes, which can be just after
    /// the client has read the response, so this waits for it (up to a generous bound).
    /// </summary>
    public async Task<LogEvent> RequestLineAsync(string requestId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = _events.FirstOrDefault(e =>
                e.Properties.ContainsKey("StatusCode")
                && e.Properties.TryGetValue("RequestId", out var id)
                && id is ScalarValue { Value: string value } && value == requestId);
            if (line is not null)
            {
                return line;
            }
            await Task.Delay(10, timeout.Token);
        }
    }
}
