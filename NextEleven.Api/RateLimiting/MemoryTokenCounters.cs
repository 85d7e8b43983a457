namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Token and spend budgets in this instance's memory: per policy, the current window's tokens used per client.
/// Not a <see cref="System.Threading.RateLimiting.FixedWindowRateLimiter"/> like the request limits,
/// because a reservation is settled afterwards and may give tokens back, which a limiter's lease cannot.
/// Windows are aligned as for permits; the counts of a window are dropped whole when the next one starts.
/// </summary>
internal sealed class MemoryTokenCounters(TimeProvider time, int maxTrackedClients)
{
    // Anonymous clients past the cap share one count (the no-address partition's), as they share one permit budget.
    private static readonly LimitPartition Overflow = LimitPartition.FromAddress(null);

    private readonly Dictionary<RateLimitPolicy, PolicyTokens> _policies = [];
    private readonly Lock _gate = new();

    public BudgetResult Reserve(RateLimitPolicy budget, LimitPartition client, long minimum, long maximum)
    {
        var now = time.GetUtcNow();
        var index = budget.WindowIndexAt(now.ToUnixTimeMilliseconds());
        lock (_gate)
        {
            var tokens = CountsFor(budget, index);
            var key = tokens.Used.ContainsKey(client) || tokens.Used.Count < maxTrackedClients || client.IsClient ? client : Overflow;
            var used = tokens.Used.GetValueOrDefault(key);
            var available = budget.PermitLimit - used;
            var granted = available >= minimum ? Math.Min(available, maximum) : 0;
            if (granted > 0)
            {
                used += granted;
                tokens.Used[key] = used;
            }
            return new BudgetResult(granted, Math.Max(0, budget.PermitLimit - used), tokens.Reset, now, InMemory: true);
        }
    }

    public BudgetResult Settle(RateLimitPolicy budget, LimitPartition client, BudgetResult reservation, long correction)
    {
        var now = time.GetUtcNow();
        var index = budget.WindowIndexAt(now.ToUnixTimeMilliseconds());
        lock (_gate)
        {
            var tokens = CountsFor(budget, index);
            var key = tokens.Used.ContainsKey(client) ? client : Overflow;
            var used = tokens.Used.GetValueOrDefault(key);
            if (reservation.Reset == tokens.Reset && tokens.Used.ContainsKey(key))
            {
                used = Math.Max(0, used + correction);
                tokens.Used[key] = used;
            }
            return new BudgetResult(0, Math.Max(0, budget.PermitLimit - used), tokens.Reset, now, InMemory: true);
        }
    }

    private PolicyTokens CountsFor(RateLimitPolicy budget, long index)
    {
        if (!_policies.TryGetValue(budget, out var tokens) || tokens.Index < index)
        {
            tokens = new PolicyTokens(index, budget.WindowEnd(index));
            _policies[budget] = tokens;
        }
        return tokens;
    }

    private sealed class PolicyTokens(long index, DateTimeOffset reset)
    {
        public long Index { get; } = index;

        public DateTimeOffset Reset { get; } = reset;

        public Dictionary<LimitPartition, long> Used { get; } = [];
    }
}
