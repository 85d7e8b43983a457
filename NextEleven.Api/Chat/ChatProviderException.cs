namespace NextEleven.Api.Chat;

internal enum ProviderFailure
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

/// <summary>
/// A provider failure with nothing in it but what is safe to log and act on: the SDK's own exceptions
/// carry the provider's response body, which can quote the key it refused.
/// </summary>
internal sealed class ChatProviderException(ProviderFailure failure, int status, string code, int? retryAfterSeconds)
    : Exception($"The chat provider failed: {failure} (status {status}, code {code}).")
{
    public ProviderFailure Failure { get; } = failure;

    /// <summary>The provider's HTTP status, 0 when there was no answer.</summary>
    public int Status { get; } = status;

    /// <summary>The provider's error code (never its message), or "none".</summary>
    public string Code { get; } = code;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
