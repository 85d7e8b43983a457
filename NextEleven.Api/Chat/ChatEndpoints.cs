using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NextEleven.Api.Errors;
using NextEleven.Api.OpenApi;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Chat;

public static class ChatEndpoints
{
    private static readonly ChatJsonContext EventJson = new(ErrorsJsonContext.CreateOptions());

    public static RouteGroupBuilder MapChat(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/chat").WithTags("Chat");
        group.MapPost("", SendAsync)
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

    public static async Task<Results<Ok<ChatReply>, ServerSentEventsResult<string>, ApiErrorResult>> SendAsync(
        HttpContext context, ChatService chat, IOptions<RequestLimitsOptions> limits, CancellationToken cancellationToken)
    {
        var (request, readError) = await JsonBody.ReadAsync(
            context.Request, ChatJsonContext.Default.ChatRequest, limits.Value.MaxRequestBodyBytes, cancellationToken);
        if (readError is not null)
        {
            return readError;
        }
        var model = request!.Model;
        if (ModelAccess.Check(context, chat, ref model) is { } forbidden)
        {
            return forbidden;
        }
        request = request with { Model = model };
        if (ChatRequestValidator.Validate(request, limits.Value, chat) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        var turn = new ChatTurn(ChatRequestValidator.ToMessages(request!), request!.Model, request.Temperature, request.MaxTokens);
        if (request.Stream ?? AcceptsEventStream(context.Request))
        {
            var (steps, streamFailure) = await chat.StartStreamAsync(turn, cancellationToken);
            return streamFailure ?? (Results<Ok<ChatReply>, ServerSentEventsResult<string>, ApiErrorResult>)
                TypedResults.ServerSentEvents(Events(steps!, chat, turn.Model ?? chat.DefaultModel, context.TraceIdentifier, cancellationToken));
        }

        var (response, failure) = await chat.CompleteAsync(turn, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        return TypedResults.Ok(new ChatReply(
            response!.Text,
            response.ModelId ?? turn.Model ?? chat.DefaultModel,
            chat.Provider,
            response.FinishReason?.Value ?? ChatFinishReason.Stop.Value,
            UsageOf(response.Usage),
            context.TraceIdentifier));
    }

    internal static bool AcceptsEventStream(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    internal static ChatUsage UsageOf(UsageDetails? usage) => new(
        usage?.InputTokenCount ?? 0,
        usage?.OutputTokenCount ?? 0,
        usage?.TotalTokenCount ?? (usage?.InputTokenCount ?? 0) + (usage?.OutputTokenCount ?? 0));

    private static async IAsyncEnumerable<string> Events(IAsyncEnumerable<ChatStreamStep> steps, ChatService chat,
        string model, string requestId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tally = new ChatStreamTally(model);
        await foreach (var step in steps.WithCancellation(cancellationToken))
        {
            if (step.Failure is { } failure)
            {
                yield return Json(new ChatStreamEvent
                {
                    Type = "error",
                    Error = ApiErrors.TitleFor(failure.StatusCode),
                    Message = failure.Message,
                    RequestId = requestId,
                });
                yield break;
            }
            tally.Observe(step.Update!);
            if (step.Update!.Text is { Length: > 0 } text)
            {
                yield return Json(new ChatStreamEvent { Type = "delta", Text = text, RequestId = requestId });
            }
        }
        yield return Json(new ChatStreamEvent
        {
            Type = "done",
            FinishReason = tally.FinishReason,
            Model = tally.Model,
            Provider = chat.Provider,
            Usage = tally.Usage,
            RequestId = requestId,
        });
        yield return "[DONE]";
    }

    private static string Json(ChatStreamEvent streamEvent) => JsonSerializer.Serialize(streamEvent, EventJson.ChatStreamEvent);
}
