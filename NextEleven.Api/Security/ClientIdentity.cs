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
/// Who a request comes from, as far as the API key tells. <see cref="KeyId"/> is safe to log and to
/// key limits on: it is a digest, never the key.
/// </summary>
public sealed record ClientIdentity(ApiKeyOutcome Outcome, string KeyId)
{
    public bool IsAllowed => Outcome is ApiKeyOutcome.Valid or ApiKeyOutcome.Open;
}
