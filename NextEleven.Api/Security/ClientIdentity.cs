using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Security;

internal enum ApiKeyOutcome
{
    /// <summary>No key is configured (Development only): every request is let through.</summary>
    Open,
    Valid,
    Missing,
    Invalid,
    Expired,

    /// <summary>The key header was sent twice: proxies and servers disagree on which copy counts, so neither does.</summary>
    Ambiguous,
}

/// <summary>
/// Who a request comes from, as far as the API key tells. <see cref="KeyId"/> is safe to log: a key's
/// prefix or a digest, never the key. <see cref="Client"/> is set when the key is valid.
/// </summary>
internal sealed record ClientIdentity(ApiKeyOutcome Outcome, string KeyId, ApiClient? Client = null)
{
    public bool IsAllowed => Outcome is ApiKeyOutcome.Valid or ApiKeyOutcome.Open;

    /// <summary>The client id logs and metrics name the request by; <c>anonymous</c> without a valid key.</summary>
    public string ClientId => Client?.Id ?? ClientRateLimiter.AnonymousClientId;
}
