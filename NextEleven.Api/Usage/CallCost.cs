using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Usage;

/// <summary>The cost of one call, by the contract's formula, in <c>decimal</c> and whole micro-dollars rounded up.</summary>
internal static class CallCost
{
    private const decimal TokensPerPriceUnit = 1_000_000m;

    /// <summary>
    /// ((input − cached) × Input + cached × CachedInput + output × Output) / 10⁶ USD, rounded up to the next
    /// whole micro-dollar: a call is never reported, or charged, below what it cost. Cached tokens are part
    /// of the input count, as OpenAI and xAI report them; more cached than input counts as all input cached.
    /// </summary>
    public static decimal Of(ModelPrice price, long inputTokens, long cachedInputTokens, long outputTokens)
    {
        var input = Math.Max(0, inputTokens);
        var cached = Math.Clamp(cachedInputTokens, 0, input);
        var exact = ((input - cached) * price.Input + cached * (price.CachedInput ?? price.Input) + Math.Max(0, outputTokens) * price.Output)
            / TokensPerPriceUnit;
        return MicroDollars.ToUsd(MicroDollars.FromUsd(exact));
    }
}
