using Microsoft.Extensions.AI;

namespace NextEleven.Api.Chat;

/// <summary>What a streamed reply adds up to, piece by piece: its model, finish reason and usage.</summary>
public sealed class ChatStreamTally(string model)
{
    public string Model { get; private set; } = model;

    /// <summary>The provider's own finish reason; a stream without one never completes (ChatService ends it with a failure).</summary>
    public string? FinishReason { get; private set; }

    public ChatUsage Usage { get; private set; } = ChatEndpoints.UsageOf(null);

    public void Observe(ChatResponseUpdate update)
    {
        Model = update.ModelId ?? Model;
        FinishReason = update.FinishReason?.Value ?? FinishReason;
        foreach (var content in update.Contents.OfType<UsageContent>())
        {
            Usage = ChatEndpoints.UsageOf(content.Details);
        }
    }
}
