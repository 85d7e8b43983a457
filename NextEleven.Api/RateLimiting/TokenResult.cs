namespace NextEleven.Api.RateLimiting;

/// <summary>
/// The outcome of a token reservation or settlement: how many tokens it granted (0 when refused), what is
/// left, and when the budget refills. <see cref="InMemory"/> says which store holds the reservation, so a
/// shared store in fallback settles it where it was made.
/// </summary>
internal readonly record struct TokenResult(long Granted, long Remaining, DateTimeOffset Reset, DateTimeOffset Now, bool InMemory = false);
