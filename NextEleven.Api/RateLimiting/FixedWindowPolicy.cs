using System.Globalization;
using System.Threading.RateLimiting;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// One rate-limit policy: a <see cref="FixedWindowRateLimiter"/> per client per window.
/// <para>
/// Windows are aligned to multiples of the window length on the <see cref="TimeProvider"/>'s clock (an
/// hour's window ends on the hour, on every instance alike), so Reset is known without per-client state.
/// Each partition is a limiter with no replenishment timer: it is never refilled, it is replaced, because
/// a new window starts with a new set of partitions and the old set is dropped whole. Nothing runs in the
/// background, so an idle service with a million tracked clients costs no CPU, and a tracked client costs
/// one limiter and one dictionary entry.
/// </para>
/// </summary>
public sealed class FixedWindowPolicy
{
    private readonly TimeProvider _time;
    private readonly long _windowMilliseconds;
    private readonly int _maxTrackedClients;
    private readonly RateLimitMetrics _metrics;
    private readonly ILogger _logger;
    // Shared by every partition: the limiter keeps a reference, not a copy per client.
    private readonly FixedWindowRateLimiterOptions _limiterOptions;
    private readonly Lock _advanceGate = new();
    private volatile WindowPartitions _current;

    public FixedWindowPolicy(string name, int permitLimit, TimeSpan window, int maxTrackedClients, TimeProvider time,
        RateLimitMetrics metrics, ILogger logger)
    {
        Name = name;
        PermitLimit = permitLimit;
        WindowInWords = Describe(window);
        LimitHeader = permitLimit.ToString(CultureInfo.InvariantCulture);
        PolicyHeader = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={permitLimit};w={(long)window.TotalSeconds}");
        _time = time;
        _windowMilliseconds = (long)window.TotalMilliseconds;
        _maxTrackedClients = maxTrackedClients;
        _metrics = metrics;
        _logger = logger;
        _limiterOptions = new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        _current = new WindowPartitions(WindowIndexAt(time.GetUtcNow()), _windowMilliseconds);
    }

    public string Name { get; }

    public int PermitLimit { get; }

    /// <summary>"per hour", "per 15 minutes", "per 30 seconds".</summary>
    public string WindowInWords { get; }

    public string LimitHeader { get; }

    /// <summary>The IETF draft's <c>RateLimit-Policy</c> value: <c>"default";q=100;w=3600</c>.</summary>
    public string PolicyHeader { get; }

    /// <summary>Clients tracked in the current window (for the metrics gauge).</summary>
    public int TrackedClients => _current.Count;

    /// <summary>Takes one permit from the client's budget in the current window, if any is left.</summary>
    public RateLimitDecision Acquire(ClientKey client)
    {
        var now = _time.GetUtcNow();
        var window = CurrentWindow(now);
        var limiter = window.LimiterFor(client, _maxTrackedClients, _limiterOptions, out var overflowStarted);
        if (overflowStarted)
        {
            RateLimitLog.TrackedClientsCapReached(_logger, Name, _maxTrackedClients);
        }

        bool acquired;
        long remaining;
        // Taking the permit and reading what is left must be one step, or concurrent requests of one client
        // would report each other's counts.
        lock (limiter)
        {
            using var lease = limiter.AttemptAcquire();
            acquired = lease.IsAcquired;
            remaining = limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;
        }
        _metrics.Decided(Name, acquired, limiter == window.Overflow);
        return new RateLimitDecision(this, acquired, remaining, window.Reset, window.ResetHeader, now);
    }

    private long WindowIndexAt(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / _windowMilliseconds;

    private WindowPartitions CurrentWindow(DateTimeOffset now)
    {
        var current = _current;
        var index = WindowIndexAt(now);
        if (index <= current.Index)
        {
            // A request that read the clock just before another moved the window on counts in the newer
            // window: never in a window that has already been dropped.
            return current;
        }
        lock (_advanceGate)
        {
            if (_current.Index < index)
            {
                _current = new WindowPartitions(index, _windowMilliseconds);
            }
            return _current;
        }
    }

    private static string Describe(TimeSpan window)
    {
        var (amount, unit) = window switch
        {
            _ when window.TotalDays >= 1 && window.Ticks % TimeSpan.TicksPerDay == 0 => ((long)window.TotalDays, "day"),
            _ when window.Ticks % TimeSpan.TicksPerHour == 0 => ((long)window.TotalHours, "hour"),
            _ when window.Ticks % TimeSpan.TicksPerMinute == 0 => ((long)window.TotalMinutes, "minute"),
            _ => ((long)Math.Ceiling(window.TotalSeconds), "second"),
        };
        return amount == 1
            ? $"per {unit}"
            : string.Create(CultureInfo.InvariantCulture, $"per {amount} {unit}s");
    }

    /// <summary>The partitions of one window; dropped whole when the next window starts.</summary>
    private sealed class WindowPartitions(long index, long windowMilliseconds)
    {
        // A plain dictionary behind a lock: a third smaller per entry than a concurrent one, and the lock
        // is held only for a lookup (the limiter's own work happens outside it).
        private readonly Dictionary<ClientKey, FixedWindowRateLimiter> _partitions = [];
        private readonly Lock _gate = new();

        public long Index { get; } = index;

        public DateTimeOffset Reset { get; } = DateTimeOffset.FromUnixTimeMilliseconds((index + 1) * windowMilliseconds);

        public string ResetHeader { get; } = DateTimeOffset.FromUnixTimeMilliseconds((index + 1) * windowMilliseconds)
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

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

        public FixedWindowRateLimiter LimiterFor(ClientKey client, int maxTrackedClients,
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
                if (_partitions.Count >= maxTrackedClients && !client.IsKey)
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
