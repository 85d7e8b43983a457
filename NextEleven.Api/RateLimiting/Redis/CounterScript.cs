using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// A Lua script over one client's window counter, run by its SHA-1 in one round trip. Every counter script
/// starts with <see cref="WindowPrelude"/>: the window from the server's own clock (<c>TIME</c>, so
/// instances with skewed clocks agree on Reset), the counter hash (<c>w</c>: window index, <c>n</c>:
/// amount used) passed in <c>KEYS</c> (Redis-Cluster-safe), <c>save()</c> and <c>answer(first)</c>.
/// Every script answers four numbers: its own, what is left, the reset and Redis's now.
/// </summary>
internal sealed class CounterScript
{
    /// <summary>How long after its window a counter is kept: past any clock step between Redis and its replicas.</summary>
    public const long GraceMilliseconds = 1000;

    /// <summary>
    /// Lua that sets <c>index</c> (months since January 1970) and <c>reset</c> (the next month's first
    /// midnight, in ms) from <c>now</c> (ms): days to a civil date and the next month's first day back to
    /// days (H. Hinnant's civil_from_days and days_from_civil), in whole numbers only.
    /// </summary>
    public const string CalendarMonth = """
        local z = math.floor(now / 86400000) + 719468
        local era = math.floor(z / 146097)
        local doe = z - era * 146097
        local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
        local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
        local mp = math.floor((5 * doy + 2) / 153)
        local month = mp < 10 and mp + 3 or mp - 9
        local year = yoe + era * 400 + (month <= 2 and 1 or 0)
        index = (year - 1970) * 12 + month - 1
        local next_month = month % 12 + 1
        local y = year + math.floor(month / 12) - (next_month <= 2 and 1 or 0)
        local next_era = math.floor(y / 400)
        local next_yoe = y - next_era * 400
        local next_mp = next_month > 2 and next_month - 3 or next_month + 9
        local next_doe = next_yoe * 365 + math.floor(next_yoe / 4) - math.floor(next_yoe / 100) + math.floor((153 * next_mp + 2) / 5)
        reset = (next_era * 146097 + next_doe - 719468) * 86400000
        """;

    /// <summary>ARGV[1] limit, ARGV[2] window (ms, 0 for the calendar month), ARGV[3] grace (ms); the script's own arguments follow.</summary>
    public const string WindowPrelude = $$"""
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local grace = tonumber(ARGV[3])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local index
        local reset
        if window > 0 then
          index = math.floor(now / window)
          reset = (index + 1) * window
        else
          {{CalendarMonth}}
        end
        local counter = redis.call('HMGET', KEYS[1], 'w', 'n')
        local stored = tonumber(counter[1])
        local used = 0
        if stored == index then
          used = tonumber(counter[2]) or 0
        end
        local function save()
          redis.call('HSET', KEYS[1], 'w', index, 'n', used)
          redis.call('PEXPIREAT', KEYS[1], reset + grace)
        end
        local function answer(first)
          local remaining = limit - used
          if remaining < 0 then
            remaining = 0
          end
          return { first, remaining, reset, now }
        end

        """;

    // Redis names a cached script by the SHA-1 of its text; SHA-1 is the protocol's choice, not a security measure.
#pragma warning disable CA5350
    public CounterScript(string name, string body)
    {
        Name = name;
        Source = WindowPrelude + body;
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Source));
        Sha1Hex = Convert.ToHexStringLower(_sha1);
    }
#pragma warning restore CA5350

    private readonly byte[] _sha1;

    public string Name { get; }

    public string Source { get; }

    /// <summary>The script's name in the server's script cache (for <c>SCRIPT EXISTS</c>).</summary>
    public string Sha1Hex { get; }

    /// <summary>
    /// Runs the script on <paramref name="counter"/> with the policy's limit, window and the grace, then
    /// <paramref name="arguments"/>. A server that does not have it cached (restarted, failed over, or
    /// told <c>SCRIPT FLUSH</c>) answers NOSCRIPT, and the script is sent whole once, which caches it again.
    /// </summary>
    public async Task<(long First, long Remaining, DateTimeOffset Reset, DateTimeOffset Now)> RunAsync(IDatabaseAsync database,
        RedisKey counter, RateLimitPolicy policy, params RedisValue[] arguments)
    {
        RedisValue[] all = [policy.PermitLimit, policy.WindowMilliseconds, GraceMilliseconds, .. arguments];
        RedisKey[] keys = [counter];
        RedisResult result;
        try
        {
            result = await database.ScriptEvaluateAsync(_sha1, keys, all).ConfigureAwait(false);
        }
        catch (RedisServerException noScript) when (noScript.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            result = await database.ScriptEvaluateAsync(Source, keys, all).ConfigureAwait(false);
        }
        if (result.Resp2Type != ResultType.Array || result.Length != 4)
        {
            throw new RedisException($"The {Name} script answered {result.Resp2Type} instead of four numbers.");
        }
        return ((long)result[0], (long)result[1],
            DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]), DateTimeOffset.FromUnixTimeMilliseconds((long)result[3]));
    }
}
