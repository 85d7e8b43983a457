using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;
using NextEleven.Api.Errors;

namespace NextEleven.Api.Chat;

/// <summary>NextEleven's own format: <c>{ "message", "history" }</c> in, <c>{ "reply", … }</c> or delta/done events out.</summary>
internal sealed class NextElevenWireFormat : ChatWireFormat<ChatRequest, ChatReply>
{
    private static readonly ChatJsonContext EventJson = new(ErrorsJsonContext.CreateOptions());
    private static readonly string[] Roles = ["user", "assistant", "system"];

    public static NextElevenWireFormat Instance { get; } = new();

    public override JsonTypeInfo<ChatRequest> RequestType => ChatJsonContext.Default.ChatRequest;

    public override string? ModelOf(ChatRequest request) => request.Model;

    public override (ChatDraft? Draft, string? Problem) ToDraft(ChatRequest request)
    {
        var history = request.History ?? [];
        var messages = new List<DraftMessage>(history.Count + 1);
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i];
            messages.Add(entry is null
                ? new DraftMessage($"history[{i}]", null, $"history[{i}].content", null,
                    Problem: $"Field 'history[{i}]' must be an object with 'role' and 'content'.")
                : new DraftMessage($"history[{i}]", entry.Role, $"history[{i}].content", entry.Content));
        }
        messages.Add(new DraftMessage("message", "user", "message", request.Message));
        return (new ChatDraft(messages, Roles, request.History is null ? null : "history", history.Count, ListHoldsNewMessage: false,
            request.Temperature, request.MaxTokens, "maxTokens"), null);
    }

    public override bool WantsStream(ChatRequest request, HttpRequest httpRequest) =>
        request.Stream ?? AcceptsEventStream(httpRequest);

    public override ChatReply Reply(ChatAnswer answer, ReplyContext context) =>
        new(answer.Text, answer.Model, context.Provider, answer.FinishReason, answer.Usage, context.RequestId);

    public override void WriteEvents(ChatStreamStep step, ReplyContext context, ChatEventWriter events)
    {
        switch (step)
        {
            case ChatDelta { Text.Length: > 0 } delta:
                events.Write(new ChatStreamEvent { Type = "delta", Text = delta.Text, RequestId = context.RequestId }, EventJson.ChatStreamEvent);
                break;
            case ChatFinished finished:
                events.Write(new ChatStreamEvent
                {
                    Type = "done",
                    FinishReason = finished.FinishReason,
                    Model = finished.Model,
                    Provider = context.Provider,
                    Usage = finished.Usage,
                    RequestId = context.RequestId,
                }, EventJson.ChatStreamEvent);
                events.WriteDone();
                break;
            case ChatStreamFailed failed:
                events.Write(new ChatStreamEvent
                {
                    Type = "error",
                    Error = ChatErrors.TitleOf(failed.Failure),
                    Message = failed.Failure.Message,
                    RequestId = context.RequestId,
                }, EventJson.ChatStreamEvent);
                break;
        }
    }

    private static bool AcceptsEventStream(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
}
