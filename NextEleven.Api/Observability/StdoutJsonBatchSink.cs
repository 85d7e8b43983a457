using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace NextEleven.Api.Observability;

/// <summary>
/// Writes log events to standard output a batch at a time: Serilog's batching (queue, background
/// thread, bounded buffer, flush at shutdown) hands over up to a thousand events, and they leave in one
/// buffered write instead of a write and a flush each. Per-event console writes cost more than the rest
/// of a request put together under load (see the benchmark's notes).
/// </summary>
internal sealed class StdoutJsonBatchSink(ITextFormatter formatter, Stream output) : IBatchedLogEventSink, IDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024)
    {
        AutoFlush = false,
    };

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }
        _writer.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _writer.Dispose();
}
