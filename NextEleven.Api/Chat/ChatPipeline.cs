using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NextEleven.Api.Budgets;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Requests;
using NextEleven.Api.Security;
using NextEleven.Api.Usage;

namespace NextEleven.Api.Chat;

/// <summary>
/// The one path of a chat request over HTTP, whatever its wire format: read the body, check the model
/// against the client's, check the rest with the rules every surface shares, call the chat layer (which
/// reserves and settles tokens), record the token budget beside the request limit, and write the answer,
/// the stream or the failure.
/// </summary>
internal sealed class ChatPipeline(ChatService chat, ChatRequestValidator validator, TokenBudget budget, SpendBudget spendBudget,
    IOptions<RequestLimitsOptions> limits, TimeProvider time)
{
    private readonly long _maxRequestBodyBytes = limits.Value.MaxRequestBodyBytes;

    public async Task<Results<Ok<TReply>, ChatEventStreamResult, ApiErrorResult>> HandleAsync<TRequest, TReply>(
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
            TellRouting(context, model);
            return ChatErrors.For(forbidden, tokens: null, spend: null);
        }
        var (draft, problem) = wire.ToDraft(request!);
        var (turn, invalid) = draft is null ? (null, problem) : validator.Validate(draft, model);
        if (invalid is not null)
        {
            TellRouting(context, model);
            return ApiErrors.BadRequest(invalid);
        }

        var started = time.GetUtcNow();
        if (wire.WantsStream(request!, context.Request))
        {
            var stream = await chat.StartStreamAsync(caller, turn!, cancellationToken);
            Record(context, stream.Tokens, stream.Spend, stream.Routing);
            return stream.Failure is { } streamFailure
                ? ChatErrors.For(streamFailure, stream.Tokens, stream.Spend)
                : new ChatEventStreamResult(stream.Result!, WriterOf(context, wire, ReplyTo(context, started, stream.Routing!)), cancellationToken);
        }
        var outcome = await chat.CompleteAsync(caller, turn!, cancellationToken);
        Record(context, outcome.Tokens, outcome.Spend, outcome.Routing);
        if (outcome.Failure is { } failure)
        {
            return ChatErrors.For(failure, outcome.Tokens, outcome.Spend);
        }
        TellCost(context, outcome.Result!.Usage);
        return TypedResults.Ok(wire.Reply(outcome.Result!, ReplyTo(context, started, outcome.Routing!)));
    }

    /// <summary>The stream's event writer: the wire format's, and the cost of the finished call told to the request's log line.</summary>
    private static Action<ChatStreamStep, ChatEventWriter> WriterOf<TRequest, TReply>(HttpContext context,
        ChatWireFormat<TRequest, TReply> wire, ReplyContext reply) where TRequest : class => (step, events) =>
    {
        if (step is ChatFinished finished)
        {
            TellCost(context, finished.Usage);
        }
        wire.WriteEvents(step, reply, events);
    };

    private static void TellCost(HttpContext context, ChatUsage usage)
    {
        if (usage.Cost is { } cost)
        {
            context.Features.Set(new ReportedCost(cost));
        }
    }

    /// <summary>The caller of a request as the chat layer sees it, with the token and spend budgets that apply.</summary>
    public ChatCaller CallerOf(HttpContext context)
    {
        var caller = context.Features.GetRequiredFeature<Caller>();
        return caller.Client is { } client
            ? new ChatCaller(client, caller.Partition, client.TokenBudget, client.SpendBudget)
            : new ChatCaller(null, caller.Partition, budget.Default, spendBudget.Default);
    }

    /// <summary>The header naming the target that answered (or was tried last), <c>provider/model</c>.</summary>
    public const string TargetHeader = "X-NextEleven-Target";

    /// <summary>The header counting the calls made to providers for the request (skipped open targets not counted).</summary>
    public const string AttemptsHeader = "X-NextEleven-Attempts";

    private static ReplyContext ReplyTo(HttpContext context, DateTimeOffset started, ChatRouting routing) =>
        new(context.TraceIdentifier, started, routing.Target.Provider);

    /// <summary>The token and spend budgets beside the request limit, and the routing headers.</summary>
    private static void Record(HttpContext context, BudgetBalance? tokens, BudgetBalance? spend, ChatRouting? routing)
    {
        if (tokens is not null || spend is not null)
        {
            context.Features.GetRequiredFeature<LimitResults>().RecordBudgets(tokens, spend);
        }
        if (routing is not null)
        {
            var headers = context.Response.Headers;
            headers[TargetHeader] = routing.Target.Name;
            headers[AttemptsHeader] = routing.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A request refused before any call still names the target it would have gone to, with no attempt.</summary>
    private void TellRouting(HttpContext context, string? model)
    {
        if (chat.Models.Contains(model ?? chat.DefaultModel, StringComparer.Ordinal))
        {
            Record(context, tokens: null, spend: null, chat.RoutingBeforeAnyAttempt(model));
        }
    }
}
