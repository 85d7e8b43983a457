namespace NextEleven.Api.Providers;

/// <summary>How each attempt outcome is named in metrics, and what it means for the next target.</summary>
internal static class AttemptOutcomes
{
    /// <summary>The <c>outcome</c> label of <c>nexteleven_provider_attempts_total</c>.</summary>
    public static string Label(this AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Ok => "ok",
        AttemptOutcome.Timeout => "timeout",
        AttemptOutcome.Unreachable => "unreachable",
        AttemptOutcome.RateLimited => "rate_limited",
        AttemptOutcome.ServerError => "server_error",
        AttemptOutcome.CredentialsRefused => "credentials_refused",
        AttemptOutcome.RequestError => "request_error",
        _ => "stream_cut",
    };

    /// <summary>Whether the next target is tried after this outcome (a failure before the first byte that is not the request's fault).</summary>
    public static bool FallsBack(this AttemptOutcome outcome) =>
        outcome is AttemptOutcome.Timeout or AttemptOutcome.Unreachable or AttemptOutcome.RateLimited
            or AttemptOutcome.ServerError or AttemptOutcome.CredentialsRefused;

    /// <summary>The outcome of a provider failure before the first byte; <paramref name="timedOut"/> when the call's deadline ended it.</summary>
    public static AttemptOutcome Of(ProviderException? provider, bool timedOut) => timedOut ? AttemptOutcome.Timeout : provider?.Failure switch
    {
        ProviderErrorKind.CredentialsRefused => AttemptOutcome.CredentialsRefused,
        ProviderErrorKind.RateLimited => AttemptOutcome.RateLimited,
        ProviderErrorKind.Unreachable => AttemptOutcome.Unreachable,
        ProviderErrorKind.Failed when provider.Status is 400 or 404 or 409 or 413 or 422 => AttemptOutcome.RequestError,
        _ => AttemptOutcome.ServerError,
    };
}
