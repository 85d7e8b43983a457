using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Usage;

/// <summary>What a ledger row counts: calls, tokens, and their cost in whole micro-dollars.</summary>
internal readonly record struct UsageTotals(long Requests, long InputTokens, long CachedInputTokens, long OutputTokens, long CostMicros)
{
    public static UsageTotals operator +(UsageTotals a, UsageTotals b) => new(a.Requests + b.Requests, a.InputTokens + b.InputTokens,
        a.CachedInputTokens + b.CachedInputTokens, a.OutputTokens + b.OutputTokens, a.CostMicros + b.CostMicros);

    /// <summary>The cost in USD.</summary>
    public decimal Cost => MicroDollars.ToUsd(CostMicros);

    /// <summary>One settled call.</summary>
    public static UsageTotals OneCall(long input, long cached, long output, decimal? cost) =>
        new(1, input, cached, output, cost is { } usd ? MicroDollars.FromUsd(usd) : 0);
}
