namespace NextEleven.Api.Providers;

/// <summary>When a target's breaker opens and for how long (<c>Chat:Breaker</c>).</summary>
internal sealed class BreakerOptions
{
    /// <summary>Failures in a row that open a target.</summary>
    public int Failures { get; set; } = 3;

    /// <summary>How long a target stays open after those failures, or after a 429 without <c>Retry-After</c>.</summary>
    public TimeSpan Break { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a target stays open: the cap on a provider's <c>Retry-After</c>, and the break after a refused key.</summary>
    public TimeSpan MaxBreak { get; set; } = TimeSpan.FromMinutes(5);
}
