namespace NextEleven.Api.Providers;

/// <summary>How readiness and env-status name a breaker's state.</summary>
internal static class BreakerStates
{
    public static string Name(BreakerState state) => state switch
    {
        BreakerState.Closed => "closed",
        BreakerState.Open => "open",
        _ => "half-open",
    };
}
