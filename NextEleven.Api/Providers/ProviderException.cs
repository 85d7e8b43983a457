namespace NextEleven.Api.Providers;

/// <summary>
/// A provider failure with nothing in it but what is safe to log and act on: never the provider's error
/// message, which can quote the key it refused.
/// </summary>
internal sealed class ProviderException(ProviderErrorKind failure, int status, string code, int? retryAfterSeconds)
    : Exception($"The chat provider failed: {failure} (status {status}, code {code}).")
{
    public ProviderErrorKind Failure { get; } = failure;

    /// <summary>The provider's HTTP status, 0 when there was no answer.</summary>
    public int Status { get; } = status;

    /// <summary>The provider's error code (never its message), or "none".</summary>
    public string Code { get; } = code;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
