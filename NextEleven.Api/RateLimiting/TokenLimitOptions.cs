namespace NextEleven.Api.RateLimiting;

/// <summary>A budget of LLM tokens per window (input and output tokens together, as the provider reports them).</summary>
internal sealed class TokenLimitOptions
{
    /// <summary>The window when no level sets one: a day.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    /// <summary>Tokens per window; at most <see cref="int.MaxValue"/>, which no real budget reaches.</summary>
    public long? PermitLimit { get; set; }

    public TimeSpan? Window { get; set; }

    public static bool IsValidLimit(long? limit) => limit is null or (>= 1 and <= int.MaxValue);
}
