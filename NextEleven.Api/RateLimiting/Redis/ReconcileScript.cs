using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Adds to a counter what this instance counted without Redis (see <see cref="RedisReconciliation"/>):
/// the amount goes into the window it was counted in, or nowhere once that window is over on Redis's
/// clock (the next window starts full either way). Same counter layout as <see cref="PermitScript"/> and
/// <see cref="TokenScript"/>, so one script serves both.
/// </summary>
internal static class ReconcileScript
{
    /// <summary>ARGV[4] the window index, ARGV[5] the amount (negative gives back).</summary>
    public static CounterScript Script { get; } = new("reconcile", """
        if tonumber(ARGV[4]) == index then
          used = math.max(0, used + tonumber(ARGV[5]))
          save()
          return answer(1)
        end
        return answer(0)
        """);

    public static Task<(long First, long Remaining, DateTimeOffset Reset, DateTimeOffset Now)> RunAsync(IDatabaseAsync database,
        RedisKey counter, RateLimitPolicy policy, long window, long amount) =>
        Script.RunAsync(database, counter, policy, window, amount);
}
