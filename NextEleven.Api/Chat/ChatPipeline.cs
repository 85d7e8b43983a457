using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Requests;
using NextEleven.Api.Security;

namespace NextEleven.Api.Chat;

/// <summary>
/// The one path of a chat request over HTTP, whatever its wire format: read the body, check the model
/// against the client's, check the rest with the rules every surface shares, call the chat layer (which
/// reserves and settles tokens), record the token budget beside the request limit, and write the answer,
/// the stream or the failure.
/// </summary>
internal sealed class ChatPipeline(ChatService chat, ChatRequestValidator validator, TokenBudget budget,
    IOptions<RequestLimitsOptions> limits, TimeProvider time)
{
    private readonly long _maxRequestBodyBytes = limits.Value.MaxRequestBodyBytes;

    public async Task<Results<Ok<TReply>, ServerSentEventsResult<string>, ApiErrorResult>> HandleAsync<TRequest, TReply>(
        HttpContext context, ChatWireFormat<TRequest, TReply> wire, CancellationToken cancellationToken) where TRequest : class
    {
        var (request, readError) = await JsonBody.ReadAsync(context.Request, wire.RequestType, _maxRequestBodyBytes, cancellationToken);
        if (readError is not null)
        {
            return readError;
        }
        var caller = CallerOf(context);
        var (model, forbidden) = chat.ResolveModel(caller, wire.ModelOf(request!));
        if (forbidden is not null)
        {
            return ChatErrors.For(forbidden, tokens: null);
        }
        var (draft, problem) = wire.ToDraft(request!);
        var (turn, invalid) = draft is null ? (null, problem) : validator.Validate(draft, model);
        if (invalid is not null)
        {
            return ApiErrors.BadRequest(invalid);
        }

        var reply = new ReplyContext(context.TraceIdentifier, time.GetUtcNow(), chat.Provider);
        if (wire.WantsStream(request!, context.Request))
        {
            var stream = await chat.StartStreamAsync(caller, turn!, cancellationToken);
            RecordTokens(context, stream.Tokens);
            return stream.Failure is { } streamFailure
                ? ChatErrors.For(streamFailure, stream.Tokens)
                : TypedResults.ServerSentEvents(wire.Events(stream.Result!, reply, cancellationToken));
        }
        var outcome = await chat.CompleteAsync(caller, turn!, cancellationToken);
        RecordTokens(context, outcome.Tokens);
        return outcome.Failure is { } failure
            ? ChatErrors.For(failure, outcome.Tokens)
            : TypedResults.Ok(wire.Reply(outcome.Result!, reply));
    }

    /// <summary>The caller of a request as the chat layer sees it, with the token budget that applies.</summary>
    public ChatCaller CallerOf(HttpContext context)
    {
        var caller = context.Features.GetRequiredFeature<Caller>();
        return new ChatCaller(caller.Client, caller.Partition, caller.Client is { } client ? client.TokenBudget : budget.Default);
    }

    private static void RecordTokens(HttpContext context, TokenBalance? tokens)
    {
        if (tokens is not null)
        {
            context.Features.GetRequiredFeature<LimitResults>().RecordTokens(tokens);
        }
    }
}
