using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Counters in this instance's memory: a <see cref="FixedWindowRateLimiter"/> per client per window, per
/// policy. The default store (nothing to install), and the fallback of a shared store.
/// <para>
/// Windows are aligned to multiples of the window length on the <see cref="TimeProvider"/>'s clock (an
/// hour's window ends on the hour), so Reset is known without per-client state. Each partition is a
/// limiter with no replenishment timer: it is never refilled, it is replaced, because a new window starts
/// with a new set of partitions and the old set is dropped whole. Nothing runs in the background, so an
/// idle service with a million tracked clients costs no CPU, and a tracked client costs one limiter and
/// one dictionary entry.
/// </para>
/// </summary>
internal sealed class MemoryRateLimitStore : IRateLimitStore
{
    public const string StateName = "memory";

    private readonly TimeProvider _time;
    private readonly int _maxTrackedClients;
    private readonly RateLimitMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RateLimitPolicy, PolicyCounters> _policies = new();
    private readonly MemoryTokenCounters _tokens;

    public MemoryRateLimitStore(IOptions<RateLimitOptions> options, TimeProvider time, RateLimitMetrics metrics,
        ILogger<MemoryRateLimitStore> logger)
    {
        _time = time;
        _maxTrackedClients = options.Value.MaxTrackedClients;
        _metrics = metrics;
        _logger = logger;
        _tokens = new MemoryTokenCounters(time, _maxTrackedClients);
    }

    public string State => StateName;

    /// <summary>Clients tracked in the current window of a policy (for the metrics gauge).</summary>
    public int TrackedClients(RateLimitPolicy policy) => _policies.TryGetValue(policy, out var counters) ? counters.Current.Count : 0;

    public ValueTask<PermitResult> TakeAsync(RateLimitPolicy policy, LimitPartition client, int amount) =>
        ValueTask.FromResult(Take(policy, client, amount));

    public ValueTask<BudgetResult> ReserveBudgetAsync(RateLimitPolicy budget, LimitPartition client, long minimum, long maximum) =>
        ValueTask.FromResult(ReserveBudget(budget, client, minimum, maximum));

    public ValueTask<BudgetResult> SettleBudgetAsync(RateLimitPolicy budget, LimitPartition client, BudgetResult reservation, long correction) =>
        ValueTask.FromResult(SettleBudget(budget, client, reservation, correction));

    public BudgetResult ReserveBudget(RateLimitPolicy budget, LimitPartition client, long minimum, long maximum) =>
        _tokens.Reserve(budget, client, minimum, maximum);

    public BudgetResult SettleBudget(RateLimitPolicy budget, LimitPartition client, BudgetResult reservation, long correction) =>
        _tokens.Settle(budget, client, reservation, correction);

    public PermitResult Take(RateLimitPolicy policy, LimitPartition client, int amount)
    {
        var counters = _policies.GetOrAdd(policy, static p => new PolicyCounters(p));
        var now = _time.GetUtcNow();
        var window = counters.WindowAt(now.ToUnixTimeMilliseconds());
        var limiter = window.LimiterFor(client, _maxTrackedClients, counters.LimiterOptions, out var overflowStarted);
        if (limiter == window.Overflow)
        {
            if (overflowStarted)
            {
                RateLimitLog.TrackedClientsCapReached(_logger, policy.Name, _maxTrackedClients);
            }
            _metrics.Overflowed(policy.Name);
        }

        bool taken;
        long remaining;
        // Taking the permits and reading what is left must be one step, or concurrent requests of one
        // client would report each other's counts.
        lock (limiter)
        {
            // More than the whole limit can never fit: refused like any other amount that does not fit (the
            // limiter itself would throw), as the Redis store refuses it.
            if (amount <= policy.PermitLimit)
            {
                using var lease = limiter.AttemptAcquire(amount);
                taken = lease.IsAcquired;
            }
            else
            {
                taken = false;
            }
            remaining = limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;
        }
        return new PermitResult(taken, remaining, window.Reset, now);
    }

    /// <summary>One policy's counters: the current window's partitions, replaced whole when the next window starts.</summary>
    private sealed class PolicyCounters(RateLimitPolicy policy)
    {
        private readonly Lock _advanceGate = new();
        private volatile WindowPartitions _current = new(policy, 0);

        // Shared by every partition: the limiter keeps a reference, not a copy per client.
        public FixedWindowRateLimiterOptions LimiterOptions { get; } = new()
        {
            // Request policies are validated to an int's range; only budgets go beyond it, and they are not limiters.
            PermitLimit = checked((int)policy.PermitLimit),
            Window = policy.Window,
            QueueLimit = 0,
            AutoReplenishment = false,
        };

        public WindowPartitions Current => _current;

        public WindowPartitions WindowAt(long unixMilliseconds)
        {
            var current = _current;
            var index = policy.WindowIndexAt(unixMilliseconds);
            if (index <= current.Index)
            {
                // A request that read the clock just before another moved the window on counts in the
                // newer window: never in a window that has already been dropped.
                return current;
            }
            lock (_advanceGate)
            {
                if (_current.Index < index)
                {
                    _current = new WindowPartitions(policy, index);
                }
                return _current;
            }
        }
    }

    /// <summary>The partitions of one window; dropped whole when the next window starts.</summary>
    private sealed class WindowPartitions(RateLimitPolicy policy, long index)
    {
        // A plain dictionary behind a lock: a third smaller per entry than a concurrent one, and the lock
        // is held only for a lookup (the limiter's own work happens outside it).
        private readonly Dictionary<LimitPartition, FixedWindowRateLimiter> _partitions = [];
        private readonly Lock _gate = new();

        public long Index { get; } = index;

        public DateTimeOffset Reset { get; } = policy.WindowEnd(index);

        /// <summary>The budget anonymous clients share once the cap is reached; null until then.</summary>
        public FixedWindowRateLimiter? Overflow { get; private set; }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _partitions.Count;
                }
            }
        }

        public FixedWindowRateLimiter LimiterFor(LimitPartition client, int maxTrackedClients,
            FixedWindowRateLimiterOptions options, out bool overflowStarted)
        {
            overflowStarted = false;
            lock (_gate)
            {
                if (_partitions.TryGetValue(client, out var limiter))
                {
                    return limiter;
                }
                // Keys are few and known; only anonymous clients can be sprayed, so only they overflow.
                if (_partitions.Count >= maxTrackedClients && !client.IsClient)
                {
                    if (Overflow is null)
                    {
                        Overflow = new FixedWindowRateLimiter(options);
                        overflowStarted = true;
                    }
                    return Overflow;
                }
                limiter = new FixedWindowRateLimiter(options);
                _partitions.Add(client, limiter);
                return limiter;
            }
        }
    }
}
