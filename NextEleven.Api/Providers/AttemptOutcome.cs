namespace NextEleven.Api.Providers;

/// <summary>What one call to a target came to, as the fallback table of the contract sorts it.</summary>
internal enum AttemptOutcome
{
    Ok,

    /// <summary>No first byte within the provider's timeout.</summary>
    Timeout,

    /// <summary>Connect, DNS, TLS or reset: no answer at all.</summary>
    Unreachable,

    /// <summary>A 429 for the server's account.</summary>
    RateLimited,

    /// <summary>A 5xx, 529, an unreadable answer, or any status not listed as the request's fault.</summary>
    ServerError,

    /// <summary>401 or 403: the server's key for the provider was refused.</summary>
    CredentialsRefused,

    /// <summary>400, 404, 409, 413 or 422: the request itself is at fault, so no other target is tried.</summary>
    RequestError,

    /// <summary>A stream that failed after its first byte reached the client.</summary>
    StreamCut,
}
