using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Errors;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Chat;

public static class ChatEndpoints
{
    public static RouteGroupBuilder MapChat(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/chat").WithTags("Chat");
        group.MapPost("", SendAsync)
            .WithName("SendChatMessage")
            .WithSummary("Send one chat message and get the provider's reply.")
            .Accepts<ChatRequest>("application/json")
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    public static async Task<Results<Ok<ChatReply>, ApiErrorResult>> SendAsync(
        HttpContext context, IChatClient chat, IOptions<RequestLimitsOptions> limits, CancellationToken cancellationToken)
    {
        var (request, readError) = await JsonBody.ReadAsync(
            context.Request, ChatJsonContext.Default.ChatRequest, limits.Value.MaxRequestBodyBytes, cancellationToken);
        if (readError is not null)
        {
            return readError;
        }
        if (ChatRequestValidator.Validate(request!, limits.Value) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        var response = await chat.GetResponseAsync(ChatRequestValidator.ToMessages(request!), cancellationToken: cancellationToken);
        var metadata = chat.GetService<ChatClientMetadata>();
        var usage = response.Usage;
        return TypedResults.Ok(new ChatReply(
            response.Text,
            response.ModelId ?? metadata?.DefaultModelId ?? "unknown",
            metadata?.ProviderName ?? "unknown",
            response.FinishReason?.Value ?? ChatFinishReason.Stop.Value,
            new ChatUsage(usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, usage?.TotalTokenCount ?? 0),
            context.TraceIdentifier));
    }
}
