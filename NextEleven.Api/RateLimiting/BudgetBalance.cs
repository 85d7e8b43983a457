namespace NextEleven.Api.RateLimiting;

/// <summary>A client's budget (tokens, or micro-dollars of spend) at one moment: what is left and when it refills.</summary>
internal sealed class BudgetBalance(RateLimitPolicy budget, long remaining, DateTimeOffset reset, DateTimeOffset now)
{
    public RateLimitPolicy Budget { get; } = budget;

    public long Remaining { get; } = remaining;

    public DateTimeOffset Reset { get; } = reset;

    /// <summary>Whole seconds until <see cref="Reset"/>, rounded up and at least 1.</summary>
    public int SecondsUntilReset { get; } = RateLimitPolicy.SecondsUntil(reset, now);
}
