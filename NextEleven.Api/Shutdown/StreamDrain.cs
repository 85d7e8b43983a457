using Microsoft.Extensions.Options;

namespace NextEleven.Api.Shutdown;

/// <summary>
/// Tells calls in flight when to end: <see cref="Drained"/> is cancelled <c>Shutdown:DrainTimeout</c>
/// after the drain begins (once the readiness delay is over and the server stops accepting). Until then
/// streams finish normally; after it, each ends with an in-band error event rather than being cut by the
/// server, and a call still waiting for its provider's first byte is answered 503.
/// </summary>
internal sealed class StreamDrain(IOptions<ShutdownOptions> options) : IDisposable
{
    private readonly CancellationTokenSource _drained = new();

    /// <summary>Cancelled when calls in flight must end.</summary>
    public CancellationToken Drained => _drained.Token;

    /// <summary>Starts the drain time.</summary>
    public void Begin() => _drained.CancelAfter(options.Value.DrainTimeout);

    public void Dispose() => _drained.Dispose();
}
