namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Where a policy's window counters live: this instance's memory, or a store every instance shares.
/// </summary>
internal interface IRateLimitStore
{
    /// <summary>What decides right now, as env-status and the metrics name it: <c>memory</c>, <c>redis</c> or <c>fallback</c>.</summary>
    string State { get; }

    /// <summary>
    /// Takes <paramref name="amount"/> permits from the client's budget in the current window of
    /// <paramref name="policy"/>, all or none, and says what is left. Checking and taking are one step:
    /// under any concurrency no more than the permit limit is ever taken in a window. A store bounds its
    /// own wait, so a request that goes away meanwhile costs at most that.
    /// </summary>
    ValueTask<PermitTake> TakeAsync(RateLimitPolicy policy, ClientKey client, int amount);

    /// <summary>
    /// Reserves tokens of a token budget: as many as are left up to <paramref name="maximum"/>, or none when
    /// fewer than <paramref name="minimum"/> are left. Checking and taking are one step, as for permits.
    /// </summary>
    ValueTask<TokenTake> ReserveTokensAsync(RateLimitPolicy budget, ClientKey client, long minimum, long maximum);

    /// <summary>
    /// Corrects a reservation once the real count is known: adds <paramref name="correction"/> (negative
    /// gives tokens back) in the reservation's window, in the store that made it. Nothing changes once that
    /// window is over: the next window starts full either way.
    /// </summary>
    ValueTask<TokenTake> SettleTokensAsync(RateLimitPolicy budget, ClientKey client, TokenTake reservation, long correction);
}

/// <summary>
/// The outcome of one take. <see cref="Now"/> is the deciding clock's time, so Retry-After is measured
/// on the same clock as <see cref="Reset"/>.
/// </summary>
internal readonly record struct PermitTake(bool IsTaken, long Remaining, DateTimeOffset Reset, DateTimeOffset Now);

/// <summary>
/// The outcome of a token reservation or settlement: how many tokens it granted (0 when refused), what is
/// left, and when the budget refills. <see cref="InMemory"/> says which store holds the reservation, so a
/// shared store in fallback settles it where it was made.
/// </summary>
internal readonly record struct TokenTake(long Granted, long Remaining, DateTimeOffset Reset, DateTimeOffset Now, bool InMemory = false);
