using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>
/// What a chat call came to: a result or a failure, the client's token and spend budgets as they stand (after
/// settlement for a whole reply, after the reservation for a stream; each null when the client has no such budget),
/// and the target that answered (null when the call was refused before any target was chosen).
/// </summary>
internal sealed record ChatOutcome<TResult>(TResult? Result, ChatFailure? Failure, BudgetBalance? Tokens, ChatRouting? Routing,
    BudgetBalance? Spend = null)
    where TResult : class;
