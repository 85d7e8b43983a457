namespace NextEleven.Api.RateLimiting;

/// <summary>What the limiter decided for one request: whose budget, under which policy, and what is left of it.</summary>
internal sealed class RateLimitDecision(RateLimitPolicy policy, LimitPartition partition, string clientId, PermitResult take)
{
    public RateLimitPolicy Policy { get; } = policy;

    /// <summary>Whose budget it is: the client's, or the address's without a valid key.</summary>
    public LimitPartition Partition { get; } = partition;

    /// <summary>The client id the budget belongs to, <c>anonymous</c> for an address: for metrics, never a key or an IP.</summary>
    public string ClientId { get; } = clientId;

    public bool IsAllowed => take.IsTaken;

    public long Remaining => take.Remaining;

    /// <summary>The instant this client's budget refills: the end of the current window.</summary>
    public DateTimeOffset Reset => take.Reset;

    /// <summary>Whole seconds until <see cref="Reset"/>, rounded up and at least 1.</summary>
    public int SecondsUntilReset { get; } = RateLimitPolicy.SecondsUntil(take.Reset, take.Now);
}
