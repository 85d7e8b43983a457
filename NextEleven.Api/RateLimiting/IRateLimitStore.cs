namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Where a policy's window counters live: this instance's memory, or a store every instance shares.
/// </summary>
public interface IRateLimitStore
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
}

/// <summary>
/// The outcome of one take. <see cref="Now"/> is the deciding clock's time, so Retry-After is measured
/// on the same clock as <see cref="Reset"/>.
/// </summary>
public readonly record struct PermitTake(bool IsTaken, long Remaining, DateTimeOffset Reset, DateTimeOffset Now);
