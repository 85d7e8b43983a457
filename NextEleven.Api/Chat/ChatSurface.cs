using System.Text.Json.Serialization.Metadata;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Chat;

/// <summary>
/// One wire format of chat over HTTP (<c>/api/chat</c>, <c>/api/v1/chat/completions</c>): how its request
/// becomes a <see cref="ChatTurn"/>, and how the chat layer's answers, stream steps and failures are
/// written back. Everything else is the one <see cref="ChatPipeline"/>.
/// </summary>
internal abstract class ChatSurface<TRequest, TReply> where TRequest : class
{
    public abstract JsonTypeInfo<TRequest> RequestType { get; }

    /// <summary>The model the request names, if any.</summary>
    public abstract string? ModelOf(TRequest request);

    /// <summary>The request as a turn on <paramref name="model"/>, or the first problem with it (naming the field).</summary>
    public abstract (ChatTurn? Turn, string? Problem) ToTurn(TRequest request, string? model, RequestLimitsOptions limits, ChatService chat);

    public abstract bool WantsStream(TRequest request, HttpRequest httpRequest);

    public abstract TReply Reply(ChatAnswer answer, ChatExchange exchange);

    /// <summary>The stream's events, each one a Server-Sent Event's data.</summary>
    public abstract IAsyncEnumerable<string> Events(IAsyncEnumerable<ChatStreamStep> steps, ChatExchange exchange,
        CancellationToken cancellationToken);
}

/// <summary>What a surface's reply carries besides the chat layer's answer.</summary>
internal sealed record ChatExchange(string RequestId, DateTimeOffset Started, string Provider);
