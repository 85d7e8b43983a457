namespace NextEleven.Api.RateLimiting;

/// <summary>A known client's budget: the policy it is held to and the partition all its keys share.</summary>
internal interface IRateLimitClient
{
    RateLimitPolicy Policy { get; }

    ClientKey Partition { get; }
}
