namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Section <c>RateLimit:Redis</c>, and <c>ConnectionStrings:Redis</c>: when the connection string is
/// set, every policy counts in Redis, shared by every instance.
/// </summary>
internal sealed class RedisStoreOptions
{
    public const string SectionName = "RateLimit:Redis";
    public const string ConnectionStringName = "Redis";

    /// <summary>A StackExchange.Redis configuration string (<c>localhost:6379</c>); unset keeps counters in memory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Put before every key this service writes, so several services can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "nexteleven:";

    /// <summary>A decision Redis has not answered within this is taken from memory instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
