namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>The Redis store's log lines: connection lost and back, fallback, reconciliation.</summary>
internal static partial class RedisStoreLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limits are counted in Redis, shared by every instance")]
    public static partial void UsingRedis(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis did not answer ({Reason}): rate limits are decided from this instance's memory until it does")]
    public static partial void FellBackToMemory(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: rate limits are counted in Redis again")]
    public static partial void BackOnRedis(ILogger logger);
}
