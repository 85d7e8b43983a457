using Microsoft.AspNetCore.Http.HttpResults;
using NextEleven.Api.Chat;
using NextEleven.Api.Errors;
using NextEleven.Api.OpenApi;

namespace NextEleven.Api.OpenAiCompat;

/// <summary>
/// An OpenAI-compatible surface under the same key and limits, so the official OpenAI SDKs work with
/// <c>baseURL = http://host:port/api/v1</c> and the NextEleven key as their API key.
/// </summary>
internal static class OpenAiEndpoints
{
    public static RouteGroupBuilder MapOpenAiCompat(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/v1").WithTags("OpenAI-compatible");
        group.MapPost("/chat/completions", CreateAsync)
            .WithName("CreateChatCompletion")
            .WithSummary("OpenAI chat completions: JSON, or chat.completion.chunk events when \"stream\": true.")
            .Accepts<ChatCompletionRequest>("application/json")
            .ProducesJsonOrServerSentEvents<ChatCompletion, ChatCompletionChunk>()
            .ProducesChatErrors();
        group.MapGet("/models", ListModels)
            .WithName("ListModels")
            .WithSummary("The models a request may name.");
        return group;
    }

    /// <summary>The models this client may name.</summary>
    private static Ok<ModelList> ListModels(HttpContext context, ChatService chat, ChatPipeline pipeline) => TypedResults.Ok(new ModelList("list",
        [.. chat.ModelsFor(pipeline.CallerOf(context)).Select(model => new ModelInfo(model, "model", 0, chat.ProviderOf(model)))]));

    private static Task<Results<Ok<ChatCompletion>, ChatEventStreamResult, ApiErrorResult>> CreateAsync(
        HttpContext context, ChatPipeline pipeline, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, OpenAiWireFormat.Instance, cancellationToken);
}
