using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Token budgets in one round trip each, like <see cref="PermitScript"/>, on a counter of tokens used
/// (see <see cref="CounterScript"/>). <c>reserve</c> takes as many tokens as are left up to a maximum, or
/// none below a minimum; <c>settle</c> adds a correction (negative gives tokens back) while the
/// reservation's window is still the current one.
/// </summary>
internal static class TokenScript
{
    /// <summary>ARGV[4] <c>reserve</c> (ARGV[5] minimum, ARGV[6] maximum) or <c>settle</c> (ARGV[5] window index, ARGV[6] correction).</summary>
    public static CounterScript Script { get; } = new("token-budget", """
        if ARGV[4] == 'reserve' then
          local available = limit - used
          if available >= tonumber(ARGV[5]) then
            local granted = math.min(available, tonumber(ARGV[6]))
            used = used + granted
            save()
            return answer(granted)
          end
        elseif tonumber(ARGV[5]) == index and stored == index then
          used = math.max(0, used + tonumber(ARGV[6]))
          save()
        end
        return answer(0)
        """);

    public static async Task<BudgetResult> ReserveAsync(IDatabaseAsync database, RedisKey counter, RateLimitPolicy budget,
        long minimum, long maximum)
    {
        var (granted, remaining, reset, now) = await Script.RunAsync(database, counter, budget, "reserve", minimum, maximum)
            .ConfigureAwait(false);
        return new BudgetResult(granted, remaining, reset, now);
    }

    public static async Task<BudgetResult> SettleAsync(IDatabaseAsync database, RedisKey counter, RateLimitPolicy budget,
        BudgetResult reservation, long correction)
    {
        var (_, remaining, reset, now) = await Script.RunAsync(database, counter, budget, "settle",
            budget.WindowIndexAt(reservation.Reset.ToUnixTimeMilliseconds()) - 1, correction).ConfigureAwait(false);
        return new BudgetResult(0, remaining, reset, now);
    }
}
