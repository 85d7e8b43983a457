namespace NextEleven.Api.Security;

/// <summary>What the key a request presents comes to.</summary>
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
