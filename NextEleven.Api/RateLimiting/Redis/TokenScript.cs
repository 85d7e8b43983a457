using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Token budgets in one round trip each, like <see cref="PermitScript"/>: one hash per client and budget
/// (<c>w</c>: window index on the server's clock, <c>n</c>: tokens used), passed in <c>KEYS</c>.
/// <c>reserve</c> takes as many tokens as are left up to a maximum, or none below a minimum; <c>settle</c>
/// adds a correction (negative gives tokens back) while the reservation's window is still the current one.
/// </summary>
public static class TokenScript
{
    public const string Source = """
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local index = math.floor(now / window)
        local reset = (index + 1) * window
        local counter = redis.call('HMGET', KEYS[1], 'w', 'n')
        local used = 0
        if tonumber(counter[1]) == index then
          used = tonumber(counter[2]) or 0
        end
        local granted = 0
        local changed = false
        if ARGV[3] == 'reserve' then
          local minimum = tonumber(ARGV[4])
          local maximum = tonumber(ARGV[5])
          local available = limit - used
          if available >= minimum then
            granted = math.min(available, maximum)
            used = used + granted
            changed = true
          end
        elseif tonumber(ARGV[4]) == index and tonumber(counter[1]) == index then
          used = math.max(0, used + tonumber(ARGV[5]))
          changed = true
        end
        if changed then
          redis.call('HSET', KEYS[1], 'w', index, 'n', used)
          redis.call('PEXPIREAT', KEYS[1], reset + tonumber(ARGV[6]))
        end
        local remaining = limit - used
        if remaining < 0 then
          remaining = 0
        end
        return { granted, remaining, reset, now }
        """;

    // Redis names a cached script by the SHA-1 of its text; SHA-1 is the protocol's choice, not a security measure.
#pragma warning disable CA5350
    private static readonly byte[] Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Source));
#pragma warning restore CA5350

    public static Task<TokenTake> ReserveAsync(IDatabaseAsync database, RedisKey counter, RateLimitPolicy budget,
        long minimum, long maximum) =>
        RunAsync(database, counter, [budget.PermitLimit, budget.WindowMilliseconds, "reserve", minimum, maximum, PermitScript.GraceMilliseconds]);

    public static Task<TokenTake> SettleAsync(IDatabaseAsync database, RedisKey counter, RateLimitPolicy budget,
        TokenTake reservation, long correction) =>
        RunAsync(database, counter, [budget.PermitLimit, budget.WindowMilliseconds, "settle",
            budget.WindowIndexAt(reservation.Reset.ToUnixTimeMilliseconds()) - 1, correction, PermitScript.GraceMilliseconds]);

    private static async Task<TokenTake> RunAsync(IDatabaseAsync database, RedisKey counter, RedisValue[] arguments)
    {
        RedisKey[] keys = [counter];
        RedisResult result;
        try
        {
            result = await database.ScriptEvaluateAsync(Sha1, keys, arguments).ConfigureAwait(false);
        }
        catch (RedisServerException noScript) when (noScript.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            result = await database.ScriptEvaluateAsync(Source, keys, arguments).ConfigureAwait(false);
        }
        if (result.Resp2Type != ResultType.Array || result.Length != 4)
        {
            throw new RedisException($"The token-budget script answered {result.Resp2Type} instead of four numbers.");
        }
        return new TokenTake(
            Granted: (long)result[0],
            Remaining: (long)result[1],
            Reset: DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]),
            Now: DateTimeOffset.FromUnixTimeMilliseconds((long)result[3]));
    }
}
