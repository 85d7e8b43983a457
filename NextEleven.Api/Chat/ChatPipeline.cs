using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Requests;
using NextEleven.Api.Security;

namespace NextEleven.Api.Chat;

/// <summary>
/// The one path of a chat request over HTTP, whatever its surface: read the body, check the model against
/// the client's, let the surface check and translate the rest, call the chat layer (which reserves and
/// settles tokens), and write the answer, the stream or the failure, with the token budget's headers.
/// </summary>
internal sealed class ChatPipeline(ChatService chat, TokenBudget budget, IOptions<RequestLimitsOptions> limits, TimeProvider time)
{
    public async Task<Results<Ok<TReply>, ServerSentEventsResult<string>, ApiErrorResult>> HandleAsync<TRequest, TReply>(
        HttpContext context, ChatSurface<TRequest, TReply> surface, CancellationToken cancellationToken) where TRequest : class
    {
        var (request, readError) = await JsonBody.ReadAsync(
            context.Request, surface.RequestType, limits.Value.MaxRequestBodyBytes, cancellationToken);
        if (readError is not null)
        {
            return readError;
        }
        var caller = CallerOf(context);
        var model = surface.ModelOf(request!);
        if (chat.CheckModel(caller, ref model) is { } forbidden)
        {
            return ErrorFor(forbidden);
        }
        var (turn, problem) = surface.ToTurn(request!, model, limits.Value, chat);
        if (problem is not null)
        {
            return ApiErrors.BadRequest(problem);
        }

        var exchange = new ChatExchange(context.TraceIdentifier, time.GetUtcNow(), chat.Provider);
        if (surface.WantsStream(request!, context.Request))
        {
            var stream = await chat.StartStreamAsync(caller, turn!, cancellationToken);
            TellTokens(context, stream.Tokens);
            return stream.Failure is { } streamFailure
                ? ErrorFor(streamFailure)
                : TypedResults.ServerSentEvents(surface.Events(stream.Result!, exchange, cancellationToken));
        }
        var outcome = await chat.CompleteAsync(caller, turn!, cancellationToken);
        TellTokens(context, outcome.Tokens);
        return outcome.Failure is { } failure
            ? ErrorFor(failure)
            : TypedResults.Ok(surface.Reply(outcome.Result!, exchange));
    }

    /// <summary>The caller of a request: its client when the key is valid, else its address, with the token budget that applies.</summary>
    public ChatCaller CallerOf(HttpContext context) =>
        context.Features.Get<ClientIdentity>()?.Client is { } client
            ? new ChatCaller(client, client.Partition, client.TokenBudget)
            : new ChatCaller(null, ClientKey.FromAddress(context.Connection.RemoteIpAddress), budget.Default);

    /// <summary>The HTTP error of a chat failure, as both surfaces answer it before a stream starts.</summary>
    public static ApiErrorResult ErrorFor(ChatFailure failure) => failure.Kind switch
    {
        ChatFailureKind.ModelNotAllowed => ApiErrors.Forbidden(failure.Message),
        ChatFailureKind.TokenBudgetExhausted => ApiErrors.TooManyRequests(failure.Message, failure.RetryAfterSeconds ?? 1),
        _ => new ApiErrorResult(StatusOf(failure), failure.Message, retryAfter: failure.RetryAfterSeconds),
    };

    /// <summary>The status a failure maps to; a stream already started names it in its in-band error event.</summary>
    public static int StatusOf(ChatFailure failure) => failure.Kind switch
    {
        ChatFailureKind.ModelNotAllowed => StatusCodes.Status403Forbidden,
        ChatFailureKind.TokenBudgetExhausted => StatusCodes.Status429TooManyRequests,
        ChatFailureKind.ProviderUnavailable => StatusCodes.Status503ServiceUnavailable,
        ChatFailureKind.ProviderTimedOut => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>The rate limiter writes the token budget's headers beside its own as the response starts.</summary>
    private static void TellTokens(HttpContext context, TokenBalance? tokens)
    {
        if (tokens is not null && context.Features.Get<RateLimitDecision>() is { } decision)
        {
            decision.Tokens = tokens;
        }
    }
}
