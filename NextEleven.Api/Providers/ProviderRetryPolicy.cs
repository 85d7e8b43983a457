using System.ClientModel.Primitives;

namespace NextEleven.Api.Providers;

/// <summary>
/// The SDK's retry policy, made to suit a gateway with fallback: a provider's 429, or a 503 that says when
/// to come back, is never retried here (the next target answers instead, and the breaker waits it out),
/// and the wait between tries stays under a second. Retries happen in the pipeline before a response is
/// handed over, so never after any byte of a reply has been streamed.
/// </summary>
internal sealed class ProviderRetryPolicy(int maxRetries) : ClientRetryPolicy(maxRetries)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(800);

    protected override bool ShouldRetry(PipelineMessage message, Exception? exception) =>
        !SaysComeBackLater(message) && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        SaysComeBackLater(message) ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var delay = base.GetNextDelay(message, tryCount);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    private static bool SaysComeBackLater(PipelineMessage message) => message.Response is { } response
        && (response.Status == 429 || response.Status == 503 && response.Headers.TryGetValue("Retry-After", out _));
}
