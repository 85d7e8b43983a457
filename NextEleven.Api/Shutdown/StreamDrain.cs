using Microsoft.Extensions.Options;

namespace NextEleven.Api.Shutdown;

/// <summary>
/// Tells streams in flight when to end: <see cref="Drained"/> is cancelled <c>Shutdown:DrainTimeout</c>
/// after the process is told to stop. Until then streams finish normally; after it, each ends with an
/// in-band error event rather than being cut by the server.
/// </summary>
public sealed class StreamDrain : IDisposable
{
    private readonly CancellationTokenSource _drained = new();
    private readonly CancellationTokenRegistration _stopping;

    public StreamDrain(IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> options)
    {
        var timeout = options.Value.DrainTimeout;
        _stopping = lifetime.ApplicationStopping.Register(() => _drained.CancelAfter(timeout));
    }

    /// <summary>Cancelled when streams must end.</summary>
    public CancellationToken Drained => _drained.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _drained.Dispose();
    }
}
