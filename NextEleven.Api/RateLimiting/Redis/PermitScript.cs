using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// One decision in one round trip: a Lua script that reads the client's counter, starts a new window when
/// the stored one is over, takes the permits if they fit, and sets the key to expire after the window. It
/// runs atomically in Redis, so instances never interleave between the check and the increment.
/// <para>
/// The window index comes from the server's own clock (<c>TIME</c>), so instances with skewed clocks
/// agree on Reset. The counter is one hash per client and policy (<c>w</c>: window index, <c>n</c>:
/// permits taken), passed in <c>KEYS</c>, so the script is Redis-Cluster-safe.
/// </para>
/// </summary>
public static class PermitScript
{
    /// <summary>How long after its window a counter is kept: past any clock step between Redis and its replicas.</summary>
    public const long GraceMilliseconds = 1000;

    public const string Source = """
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local amount = tonumber(ARGV[3])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local index = math.floor(now / window)
        local reset = (index + 1) * window
        local counter = redis.call('HMGET', KEYS[1], 'w', 'n')
        local used = 0
        if tonumber(counter[1]) == index then
          used = tonumber(counter[2]) or 0
        end
        local taken = 0
        if used + amount <= limit then
          used = used + amount
          taken = 1
          redis.call('HSET', KEYS[1], 'w', index, 'n', used)
          redis.call('PEXPIREAT', KEYS[1], reset + tonumber(ARGV[4]))
        end
        local remaining = limit - used
        if remaining < 0 then
          remaining = 0
        end
        return { taken, remaining, reset, now }
        """;

    // Redis names a cached script by the SHA-1 of its text; SHA-1 is the protocol's choice, not a security measure.
#pragma warning disable CA5350
    private static readonly byte[] Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Source));
#pragma warning restore CA5350

    /// <summary>The script's name in the server's script cache (for <c>SCRIPT EXISTS</c>).</summary>
    public static string Sha1Hex { get; } = Convert.ToHexStringLower(Sha1);

    /// <summary>
    /// Runs the script by its SHA-1. A server that does not have it cached (restarted, failed over, or
    /// told <c>SCRIPT FLUSH</c>) answers NOSCRIPT, and the script is sent whole once, which caches it again.
    /// </summary>
    public static async Task<PermitTake> RunAsync(IDatabaseAsync database, RedisKey counter, RateLimitPolicy policy, int amount)
    {
        RedisValue[] arguments = [policy.PermitLimit, policy.WindowMilliseconds, amount, GraceMilliseconds];
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
        return Read(result);
    }

    private static PermitTake Read(RedisResult result)
    {
        if (result.Resp2Type != ResultType.Array || result.Length != 4)
        {
            throw new RedisException($"The rate-limit script answered {result.Resp2Type} instead of four numbers.");
        }
        return new PermitTake(
            IsTaken: (long)result[0] == 1,
            Remaining: (long)result[1],
            Reset: DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]),
            Now: DateTimeOffset.FromUnixTimeMilliseconds((long)result[3]));
    }
}
