using System.Buffers;
using Serilog.Core;
using Serilog.Events;

namespace NextEleven.Api.Observability;

/// <summary>
/// Writes log events to standard output a batch at a time: Serilog's batching (queue, background
/// thread, bounded buffer, flush at shutdown) hands over up to a thousand events, they are formatted as
/// compact JSON straight into one pooled UTF-8 buffer, and they leave in one write instead of a write
/// and a flush each. Per-event console writes cost more than the rest of a request put together under
/// load (see the benchmark's notes).
/// </summary>
internal sealed class StdoutJsonBatchSink(Stream output) : IBatchedLogEventSink, IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly CompactJsonUtf8Formatter _formatter = new(new ArrayBufferWriter<byte>());

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        _buffer.ResetWrittenCount();
        foreach (var logEvent in batch)
        {
            _formatter.Write(logEvent, _buffer);
        }
        await output.WriteAsync(_buffer.WrittenMemory);
        await output.FlushAsync();
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _formatter.Dispose();
        output.Dispose();
    }
}
