using System.Collections.Concurrent;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Clients known to have nothing left until their Reset. Their requests are answered here without asking
/// Redis, so a flood from one client costs no Redis calls. Nothing refills a budget before its Reset, so
/// the answer is the one Redis would give.
/// </summary>
internal sealed class ExhaustedClients(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<(RateLimitPolicy Policy, LimitPartition Client), Exhausted> _clients = new();

    /// <summary>Remembers a client whose budget Redis reported empty, until its Reset on Redis's clock.</summary>
    public void Remember(RateLimitPolicy policy, LimitPartition client, PermitResult take)
    {
        if (take.Remaining > 0)
        {
            return;
        }
        if (_clients.Count >= capacity && !RemoveExpired())
        {
            return; // bounded: past the cap such clients are simply asked about again
        }
        // Measured on this instance's clock from Redis's own distance to Reset, so clock skew cancels out.
        var until = time.GetTimestamp() + (long)((take.Reset - take.Now).TotalSeconds * time.TimestampFrequency);
        _clients[(policy, client)] = new Exhausted(take.Reset, until);
    }

    /// <summary>The rejection Redis would give, if the client is still exhausted.</summary>
    public bool TryGetRejection(RateLimitPolicy policy, LimitPartition client, out PermitResult rejection)
    {
        rejection = default;
        if (_clients.IsEmpty || !_clients.TryGetValue((policy, client), out var exhausted))
        {
            return false;
        }
        var now = time.GetTimestamp();
        if (now >= exhausted.Until)
        {
            _clients.TryRemove(new((policy, client), exhausted));
            return false;
        }
        var untilReset = TimeSpan.FromSeconds((exhausted.Until - now) / (double)time.TimestampFrequency);
        rejection = new PermitResult(false, 0, exhausted.Reset, exhausted.Reset - untilReset);
        return true;
    }

    private bool RemoveExpired()
    {
        var now = time.GetTimestamp();
        var removed = false;
        foreach (var entry in _clients)
        {
            if (now >= entry.Value.Until)
            {
                removed |= _clients.TryRemove(entry);
            }
        }
        return removed;
    }

    private readonly record struct Exhausted(DateTimeOffset Reset, long Until);
}
