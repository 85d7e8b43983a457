using Microsoft.Extensions.AI;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>A chat client with a bug: every call throws, with a detail that must never reach a client.</summary>
public sealed class FailingChatClient : IChatClient
{
    public const string Secret = "internal-detail-that-must-not-leak";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new InvalidOperationException(Secret);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Secret);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
