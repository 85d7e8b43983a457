using System.ClientModel.Primitives;

namespace NextEleven.Api.Chat;

/// <summary>
/// The SDK's retry policy, made to suit a gateway: a provider's 429 is passed straight back to the client
/// (as 503 with the provider's Retry-After) instead of being waited out here, and the wait between tries
/// stays short. Retries happen in the pipeline before a response is handed over, so never after any byte
/// of a reply has been streamed.
/// </summary>
internal sealed class ProviderRetryPolicy(int maxRetries) : ClientRetryPolicy(maxRetries)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    protected override bool ShouldRetry(PipelineMessage message, Exception? exception) =>
        message.Response?.Status != 429 && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        message.Response?.Status == 429 ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var delay = base.GetNextDelay(message, tryCount);
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
