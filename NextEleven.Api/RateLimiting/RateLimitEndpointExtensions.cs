namespace NextEleven.Api.RateLimiting;

/// <summary>Endpoint conventions of the limiter.</summary>
internal static class RateLimitEndpointExtensions
{
    /// <summary>Draws the endpoint's requests from the public per-address policy, whatever key they carry.</summary>
    public static TBuilder WithPublicRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(PublicRateLimitMetadata.Instance);
}
