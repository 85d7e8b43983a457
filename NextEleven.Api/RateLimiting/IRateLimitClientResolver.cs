namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Finds the known client a request comes from (by its API key), or null for an anonymous request,
/// whose budget is its address's. Implemented by the API-key authentication.
/// </summary>
internal interface IRateLimitClientResolver
{
    IRateLimitClient? Resolve(HttpContext context);
}
