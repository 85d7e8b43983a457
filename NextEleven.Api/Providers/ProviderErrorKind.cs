namespace NextEleven.Api.Providers;

/// <summary>What went wrong with a provider call, as the boundary around the provider client tells it.</summary>
internal enum ProviderErrorKind
{
    /// <summary>The provider refused the server's own key (401/403, or xAI's 400 "Incorrect API key").</summary>
    CredentialsRefused,

    /// <summary>The provider is rate limiting this server (429).</summary>
    RateLimited,

    /// <summary>No answer: connection refused, reset or dropped.</summary>
    Unreachable,

    /// <summary>The provider answered with another error status.</summary>
    Failed,

    /// <summary>The provider's answer could not be read.</summary>
    Malformed,
}
