namespace NextEleven.Api.RateLimiting;

/// <summary>One tier's limits; what it leaves out falls back to the <c>RateLimit</c> defaults.</summary>
internal sealed class RateLimitTierOptions
{
    public int? PermitLimit { get; set; }

    public TimeSpan? Window { get; set; }

    public TokenLimitOptions? Tokens { get; set; }

    public SpendLimitOptions? Spend { get; set; }
}
