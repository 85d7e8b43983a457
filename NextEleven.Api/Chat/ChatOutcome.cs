using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>
/// What a chat call came to: a result or a failure, the client's token budget as it stands (after
/// settlement for a whole reply, after the reservation for a stream; null when the client has no budget),
/// and the target that answered (null when the call was refused before any target was chosen).
/// </summary>
internal sealed record ChatOutcome<TResult>(TResult? Result, ChatFailure? Failure, TokenBalance? Tokens, ChatRouting? Routing)
    where TResult : class;
