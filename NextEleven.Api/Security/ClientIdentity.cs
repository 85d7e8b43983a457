namespace NextEleven.Api.Security;

public enum ApiKeyOutcome
{
    /// <summary>No key is configured (Development only): every request is let through.</summary>
    Open,
    Valid,
    Missing,
    Invalid,
}

/// <summary>
/// Who a request comes from, as far as the API key tells. <see cref="KeyId"/> is safe to log and
/// <see cref="KeyDigest"/> to partition on: both come from a digest, never the key. KeyDigest is zero
/// unless the key is valid.
/// </summary>
public sealed record ClientIdentity(ApiKeyOutcome Outcome, string KeyId, ulong KeyDigest = 0)
{
    public bool IsAllowed => Outcome is ApiKeyOutcome.Valid or ApiKeyOutcome.Open;
}
