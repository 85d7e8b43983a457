using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace NextEleven.Api.Providers;

/// <summary>
/// The built-in offline responder: a deterministic <see cref="IChatClient"/> that answers without a
/// network or an account and says plainly what it is, so the service is useful (and testable) before
/// any provider is configured. Token counts use the common four-characters-a-token estimate, and the
/// output cap is honoured as a provider would: a longer reply is cut there, with finish reason <c>length</c>.
/// </summary>
internal sealed class EchoChatClient : IChatClient
{
    public const string ProviderName = "echo";
    public const string ModelName = "nexteleven-offline-echo";
    public const string Preamble = "[NextEleven offline responder: no LLM provider is configured] You said: ";

    private static readonly ChatClientMetadata Metadata = new(ProviderName, providerUri: null, ModelName);

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (reply, usage, finishReason) = Answer(messages, options?.MaxOutputTokens);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = ModelName,
            FinishReason = finishReason,
            Usage = usage,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (reply, usage, finishReason) = Answer(messages, options?.MaxOutputTokens);
        foreach (var word in reply.Split(' '))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { ModelId = ModelName };
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)])
        {
            ModelId = ModelName,
            FinishReason = finishReason,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(Metadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static (string Reply, UsageDetails Usage, ChatFinishReason FinishReason) Answer(IEnumerable<ChatMessage> messages,
        int? maxOutputTokens)
    {
        var input = 0L;
        var lastUserMessage = string.Empty;
        foreach (var message in messages)
        {
            input += EstimateTokens(message.Text);
            if (message.Role == ChatRole.User)
            {
                lastUserMessage = message.Text;
            }
        }
        var reply = Preamble + lastUserMessage;
        var finishReason = ChatFinishReason.Stop;
        if (maxOutputTokens is { } cap && EstimateTokens(reply) > cap)
        {
            var cut = cap * 4;
            reply = reply[..(char.IsHighSurrogate(reply[cut - 1]) ? cut - 1 : cut)];
            finishReason = ChatFinishReason.Length;
        }
        var output = EstimateTokens(reply);
        return (reply, new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
            finishReason);
    }

    private static long EstimateTokens(string text) => Math.Max(1, (text.Length + 3) / 4);
}
