using Microsoft.Extensions.Options;

namespace NextEleven.Api.Shutdown;

/// <summary>
/// The order of a graceful stop. SIGTERM fires ApplicationStopping, and <c>/readyz</c> answers 503 from
/// that moment; the host then runs this before stopping any service, so the server keeps accepting for
/// <c>Shutdown:ReadinessDelay</c> while load balancers notice. Then the drain time of calls in flight
/// begins and the server stops accepting connections.
/// </summary>
internal sealed class ShutdownSequence(StreamDrain drain, IOptions<ShutdownOptions> options, IHostEnvironment environment)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Wall-clock time on purpose: this paces real load balancers, whatever clock the service's logic runs on.
            await Task.Delay(options.Value.ReadinessDelayIn(environment), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout is over: stop now.
        }
        drain.Begin();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
