using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>
/// The HTTP side of a chat failure, the same on both surfaces: the error a call answers with before a
/// stream starts, and the title a stream's in-band error event names once it has.
/// </summary>
internal static class ChatErrors
{
    /// <param name="failure">What the call came to.</param>
    /// <param name="tokens">The token budget as the call left it: what a refusal for the budget tells.</param>
    /// <param name="spend">The spend budget as the call left it: what a refusal for it tells.</param>
    public static ApiErrorResult For(ChatFailure failure, BudgetBalance? tokens, BudgetBalance? spend) => failure.Kind switch
    {
        ChatFailureKind.TokenBudgetExhausted when tokens is not null => LimitRejection.ForTokens(tokens),
        ChatFailureKind.SpendBudgetExhausted when spend is not null => LimitRejection.ForSpend(spend),
        _ => new ApiErrorResult(StatusOf(failure.Kind), failure.Message, retryAfter: failure.RetryAfterSeconds),
    };

    /// <summary>The contract's title of a failure that ends a stream already started.</summary>
    public static string TitleOf(ChatFailure failure) => ApiErrors.TitleFor(StatusOf(failure.Kind));

    private static int StatusOf(ChatFailureKind kind) => kind switch
    {
        ChatFailureKind.ModelNotAllowed => StatusCodes.Status403Forbidden,
        ChatFailureKind.ProviderUnavailable => StatusCodes.Status503ServiceUnavailable,
        ChatFailureKind.ProviderTimedOut => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status502BadGateway,
    };
}
