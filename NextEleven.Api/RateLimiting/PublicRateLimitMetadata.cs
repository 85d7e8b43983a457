namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Marks an endpoint that draws on the public per-address policy (<c>RateLimit:Public</c>) whatever key
/// the request carries, as <c>EnableRateLimiting</c> names a policy for the framework's limiter.
/// </summary>
internal sealed class PublicRateLimitMetadata
{
    public static PublicRateLimitMetadata Instance { get; } = new();

    private PublicRateLimitMetadata()
    {
    }
}
