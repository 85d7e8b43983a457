using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using NextEleven.Api.Errors;
using NextEleven.Api.OpenApi;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Chat;

internal static class ChatEndpoints
{
    private static readonly NextElevenChatSurface Surface = new();

    public static RouteGroupBuilder MapChat(this IEndpointRouteBuilder api)
    {
        // The route is named whole: a group "/chat" with an endpoint "" would read "/api/chat/" in metrics and traces.
        var group = api.MapGroup("").WithTags("Chat");
        group.MapPost("/chat", SendAsync)
            .WithName("SendChatMessage")
            .WithSummary("Send one chat message and get the provider's reply.")
            .WithDescription("Answers JSON, or Server-Sent Events when \"stream\": true or the request accepts text/event-stream: "
                + "'delta' events with text, one 'done' event with finishReason and usage, then [DONE].")
            .Accepts<ChatRequest>("application/json")
            .ProducesJsonOrServerSentEvents<ChatReply, ChatStreamEvent>()
            .ProducesChatErrors();
        return group;
    }

    /// <summary>The errors a chat endpoint can answer with besides those of auth and limits.</summary>
    public static RouteHandlerBuilder ProducesChatErrors(this RouteHandlerBuilder builder) =>
        builder.ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status413PayloadTooLarge,
            StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status502BadGateway,
            StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout);

    public static Task<Results<Ok<ChatReply>, ServerSentEventsResult<string>, ApiErrorResult>> SendAsync(
        HttpContext context, ChatPipeline pipeline, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, Surface, cancellationToken);

    internal static bool AcceptsEventStream(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    /// <summary>NextEleven's own format: <c>{ "message", "history" }</c> in, <c>{ "reply", … }</c> or delta/done events out.</summary>
    private sealed class NextElevenChatSurface : ChatSurface<ChatRequest, ChatReply>
    {
        private static readonly ChatJsonContext EventJson = new(ErrorsJsonContext.CreateOptions());

        public override JsonTypeInfo<ChatRequest> RequestType => ChatJsonContext.Default.ChatRequest;

        public override string? ModelOf(ChatRequest request) => request.Model;

        public override (ChatTurn? Turn, string? Problem) ToTurn(ChatRequest request, string? model, RequestLimitsOptions limits,
            ChatService chat)
        {
            request = request with { Model = model };
            return ChatRequestValidator.Validate(request, limits, chat) is { } problem
                ? (null, problem)
                : (new ChatTurn(ChatRequestValidator.ToMessages(request), model, request.Temperature, request.MaxTokens), null);
        }

        public override bool WantsStream(ChatRequest request, HttpRequest httpRequest) =>
            request.Stream ?? AcceptsEventStream(httpRequest);

        public override ChatReply Reply(ChatAnswer answer, ChatExchange exchange) =>
            new(answer.Text, answer.Model, exchange.Provider, answer.FinishReason, answer.Usage, exchange.RequestId);

        public override async IAsyncEnumerable<string> Events(IAsyncEnumerable<ChatStreamStep> steps, ChatExchange exchange,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var step in steps.WithCancellation(cancellationToken))
            {
                switch (step)
                {
                    case ChatDelta { Text.Length: > 0 } delta:
                        yield return Json(new ChatStreamEvent { Type = "delta", Text = delta.Text, RequestId = exchange.RequestId });
                        break;
                    case ChatFinished finished:
                        yield return Json(new ChatStreamEvent
                        {
                            Type = "done",
                            FinishReason = finished.FinishReason,
                            Model = finished.Model,
                            Provider = exchange.Provider,
                            Usage = finished.Usage,
                            RequestId = exchange.RequestId,
                        });
                        yield return "[DONE]";
                        break;
                    case ChatStreamFailed failed:
                        yield return Json(new ChatStreamEvent
                        {
                            Type = "error",
                            Error = ApiErrors.TitleFor(ChatPipeline.StatusOf(failed.Failure)),
                            Message = failed.Failure.Message,
                            RequestId = exchange.RequestId,
                        });
                        break;
                }
            }
        }

        private static string Json(ChatStreamEvent streamEvent) => JsonSerializer.Serialize(streamEvent, EventJson.ChatStreamEvent);
    }
}
