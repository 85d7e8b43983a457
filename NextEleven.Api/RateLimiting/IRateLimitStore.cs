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
    ValueTask<PermitResult> TakeAsync(RateLimitPolicy policy, LimitPartition client, int amount);

    /// <summary>
    /// Reserves from a budget (tokens, or micro-dollars of spend; each budget its own counter): as many as
    /// are left up to <paramref name="maximum"/>, or none when fewer than <paramref name="minimum"/> are left. Checking and taking are one step, as for permits.
    /// </summary>
    ValueTask<BudgetResult> ReserveBudgetAsync(RateLimitPolicy budget, LimitPartition client, long minimum, long maximum);

    /// <summary>
    /// Corrects a reservation once the real count is known: adds <paramref name="correction"/> (negative
    /// gives back) in the reservation's window, in the store that made it. Nothing changes once that
    /// window is over: the next window starts full either way.
    /// </summary>
    ValueTask<BudgetResult> SettleBudgetAsync(RateLimitPolicy budget, LimitPartition client, BudgetResult reservation, long correction);
}
