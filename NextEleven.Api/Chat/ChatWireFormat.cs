using System.Text.Json.Serialization.Metadata;

namespace NextEleven.Api.Chat;

/// <summary>
/// One wire format of chat over HTTP (<c>/api/chat</c>, <c>/api/v1/chat/completions</c>): how its request
/// reads as a <see cref="ChatDraft"/>, and how the chat layer's answers and stream steps are written back.
/// It holds no service: everything else is the one <see cref="ChatPipeline"/>.
/// </summary>
internal abstract class ChatWireFormat<TRequest, TReply> where TRequest : class
{
    public abstract JsonTypeInfo<TRequest> RequestType { get; }

    /// <summary>The model the request names, if any.</summary>
    public abstract string? ModelOf(TRequest request);

    /// <summary>The request's messages and settings as sent, or the first problem with their shape (naming the field).</summary>
    public abstract (ChatDraft? Draft, string? Problem) ToDraft(TRequest request);

    public abstract bool WantsStream(TRequest request, HttpRequest httpRequest);

    public abstract TReply Reply(ChatAnswer answer, ReplyContext context);

    /// <summary>The Server-Sent Events of one step of the stream (none, one or several).</summary>
    public abstract void WriteEvents(ChatStreamStep step, ReplyContext context, ChatEventWriter events);
}
