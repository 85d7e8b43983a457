using Microsoft.AspNetCore.Http.HttpResults;
using NextEleven.Api.Errors;
using NextEleven.Api.OpenApi;

namespace NextEleven.Api.Chat;

/// <summary><c>POST /api/chat</c>, NextEleven's own chat format.</summary>
internal static class ChatEndpoints
{
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

    private static Task<Results<Ok<ChatReply>, ChatEventStreamResult, ApiErrorResult>> SendAsync(
        HttpContext context, ChatPipeline pipeline, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, NextElevenWireFormat.Instance, cancellationToken);
}
