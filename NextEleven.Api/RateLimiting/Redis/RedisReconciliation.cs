using System.Collections.Concurrent;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// What this instance admitted from memory while Redis was meant to decide (permits, tokens reserved and
/// their settlements), owed to Redis's counters of the same windows and added to them as soon as Redis
/// answers again, so an outage or a timeout never leaves admitted work out of the shared budget. A call
/// that timed out but landed in Redis after all is already counted there: it is taken off what is owed,
/// so nothing is counted twice. Entries of windows already over are dropped unpaid; they no longer matter.
/// </summary>
internal sealed class RedisReconciliation(TimeProvider time, int maxEntries)
{
    private readonly ConcurrentDictionary<OwedCounter, long> _owed = new();
    // Kept apart: the dictionary's Count and IsEmpty take every lock, and IsEmpty is asked after each Redis answer.
    private int _entries;
    private int _flushing;

    public bool IsEmpty => Volatile.Read(ref _entries) == 0;

    /// <summary>Owes <paramref name="amount"/> to the counter's window that ends at <paramref name="reset"/>.</summary>
    public void Owe(RedisKey counter, RateLimitPolicy policy, DateTimeOffset reset, long amount)
    {
        if (amount == 0)
        {
            return;
        }
        var key = Key(counter, policy, reset);
        while (!_owed.TryGetValue(key, out _))
        {
            if (Volatile.Read(ref _entries) >= maxEntries)
            {
                // Bounded like the memory store's partitions: past the cap a sprayed outage is counted per instance only.
                return;
            }
            if (_owed.TryAdd(key, amount))
            {
                Interlocked.Increment(ref _entries);
                return;
            }
        }
        _owed.AddOrUpdate(key, amount, (_, owed) => owed + amount);
    }

    /// <summary>
    /// When a call that timed out answers after all, having counted <paramref name="landed"/> in Redis's
    /// window ending at <paramref name="landedReset"/>, that much of the memory decision is paid already.
    /// </summary>
    public void Landed(RedisKey counter, RateLimitPolicy policy, DateTimeOffset memoryReset, DateTimeOffset landedReset, long landed)
    {
        if (landed != 0 && policy.WindowIndexAt(landedReset.ToUnixTimeMilliseconds()) == policy.WindowIndexAt(memoryReset.ToUnixTimeMilliseconds()))
        {
            Owe(counter, policy, memoryReset, -landed);
        }
    }

    /// <summary>Pays what is owed, one script call per counter, unless a payment is already under way; stops at the first failure.</summary>
    public async Task PayAsync(IDatabaseAsync database, TimeSpan timeout, Func<long> answers)
    {
        if (_owed.IsEmpty || Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            return;
        }
        try
        {
            foreach (var (key, amount) in _owed.ToArray())
            {
                if (key.Window < key.Policy.WindowIndexAt(time.GetUtcNow().ToUnixTimeMilliseconds()) || amount == 0)
                {
                    Settle(key, amount);
                    continue;
                }
                await FairDeadline.WaitAsync(ReconcileScript.RunAsync(database, key.Counter, key.Policy, key.Window, amount), timeout, time, answers)
                    .ConfigureAwait(false);
                Settle(key, amount);
            }
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            // Redis went away again: what is left stays owed until it is back.
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    /// <summary>Takes a paid amount off; the entry goes once nothing more was owed meanwhile.</summary>
    private void Settle(OwedCounter key, long paid)
    {
        while (_owed.TryGetValue(key, out var owed))
        {
            var left = owed - paid;
            if (left != 0 ? _owed.TryUpdate(key, left, owed) : _owed.TryRemove(new KeyValuePair<OwedCounter, long>(key, owed)))
            {
                if (left == 0)
                {
                    Interlocked.Decrement(ref _entries);
                }
                return;
            }
        }
    }

    private static OwedCounter Key(RedisKey counter, RateLimitPolicy policy, DateTimeOffset reset) =>
        new(counter, policy, policy.WindowIndexAt(reset.ToUnixTimeMilliseconds()) - 1);

    private readonly record struct OwedCounter(RedisKey Counter, RateLimitPolicy Policy, long Window);
}
