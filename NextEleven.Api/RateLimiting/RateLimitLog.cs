namespace NextEleven.Api.RateLimiting;

/// <summary>The limiter's log lines.</summary>
internal static partial class RateLimitLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Rate limit policy {Policy} is tracking {MaxTrackedClients} clients, its cap: new anonymous clients share one overflow budget until the window ends")]
    public static partial void TrackedClientsCapReached(ILogger logger, string policy, int maxTrackedClients);
}
