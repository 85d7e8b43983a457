namespace NextEleven.Api.RateLimiting;

/// <summary>
/// The outcome of a budget's reservation or settlement: how much it granted (0 when refused; tokens, or
/// micro-dollars of spend), what is left, and when the budget refills. <see cref="InMemory"/> says which store holds the reservation, so a
/// shared store in fallback settles it where it was made.
/// </summary>
internal readonly record struct BudgetResult(long Granted, long Remaining, DateTimeOffset Reset, DateTimeOffset Now, bool InMemory = false);
