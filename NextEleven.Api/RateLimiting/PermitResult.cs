namespace NextEleven.Api.RateLimiting;

/// <summary>
/// The outcome of one take. <see cref="Now"/> is the deciding clock's time, so Retry-After is measured
/// on the same clock as <see cref="Reset"/>.
/// </summary>
internal readonly record struct PermitResult(bool IsTaken, long Remaining, DateTimeOffset Reset, DateTimeOffset Now);
