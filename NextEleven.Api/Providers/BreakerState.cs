namespace NextEleven.Api.Providers;

/// <summary>Where a target's breaker stands.</summary>
internal enum BreakerState
{
    /// <summary>Calls go to the target.</summary>
    Closed,

    /// <summary>The target is skipped without a call until its break ends.</summary>
    Open,

    /// <summary>The break has ended: the next request (one, whatever the concurrency) tries the target.</summary>
    HalfOpen,
}
