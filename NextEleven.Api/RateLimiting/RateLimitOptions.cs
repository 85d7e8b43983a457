namespace NextEleven.Api.RateLimiting;

/// <summary>Section <c>RateLimit</c>: the per-client policy for the API, and <c>Public</c> for the health check.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests one client may make per window.</summary>
    public int PermitLimit { get; set; } = 100;

    /// <summary>The window's length; windows start at multiples of it (on the hour, for an hour).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Most anonymous clients tracked per window and policy. Beyond it, new anonymous clients share one
    /// overflow budget, so an address-spraying flood costs bounded memory.
    /// </summary>
    public int MaxTrackedClients { get; set; } = 1_000_000;

    public PublicRateLimitOptions Public { get; set; } = new();

    /// <summary>The default budget of LLM tokens per client and window; off while its permit limit is unset.</summary>
    public TokenLimitOptions Tokens { get; set; } = new();

    /// <summary>The default budget of money per client and window; off while its limit is unset.</summary>
    public SpendLimitOptions Spend { get; set; } = new();

    /// <summary>Named limits a client of the clients file can be given with <c>"tier"</c>: <c>RateLimit:Tiers:gold</c>.</summary>
    public Dictionary<string, RateLimitTierOptions> Tiers { get; set; } = new(StringComparer.Ordinal);

    public static bool IsValidWindow(TimeSpan window) =>
        window >= TimeSpan.FromSeconds(1) && window <= TimeSpan.FromDays(1) && window.Ticks % TimeSpan.TicksPerSecond == 0;
}
