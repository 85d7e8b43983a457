using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// One decision in one round trip: starts a new window when the stored one is over, takes the permits if
/// they fit, and sets the key to expire after the window. It runs atomically in Redis, so instances never
/// interleave between the check and the increment. The counter is one hash per client and policy
/// (see <see cref="CounterScript"/>).
/// </summary>
internal static class PermitScript
{
    /// <summary>ARGV[4]: the permits to take, all or none.</summary>
    public static CounterScript Script { get; } = new("rate-limit", """
        local amount = tonumber(ARGV[4])
        if used + amount <= limit then
          used = used + amount
          save()
          return answer(1)
        end
        return answer(0)
        """);

    public static async Task<PermitResult> RunAsync(IDatabaseAsync database, RedisKey counter, RateLimitPolicy policy, int amount)
    {
        var (taken, remaining, reset, now) = await Script.RunAsync(database, counter, policy, amount).ConfigureAwait(false);
        return new PermitResult(taken == 1, remaining, reset, now);
    }
}
