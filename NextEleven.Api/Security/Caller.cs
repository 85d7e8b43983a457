using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Security;

/// <summary>
/// Who a request comes from, worked out once before anything is decided for it and kept as a request
/// feature: its client when the key is valid, else its address, with what the key came to.
/// <see cref="KeyId"/> is safe to log: a key's prefix or a digest, never the key.
/// </summary>
internal sealed record Caller(ApiKeyOutcome KeyOutcome, string KeyId, ApiClient? Client, LimitPartition Partition)
{
    /// <summary>A valid key, or no key configured at all (Development only).</summary>
    public bool HasAccess => KeyOutcome is ApiKeyOutcome.Valid or ApiKeyOutcome.Open;

    /// <summary>The client id logs and metrics name the request by; <c>anonymous</c> without a valid key.</summary>
    public string ClientId => Client?.Id ?? ClientRateLimiter.AnonymousClientId;
}
