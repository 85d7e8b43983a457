using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Observability;

/// <summary>
/// Keeps a flood of 401s or 429s from costing a log line each. The first rejection of a client (its
/// rate-limit partition: the client, or the address without a valid key) with a given status in a window
/// is logged as usual; the rest are counted, and one summary line per client and status says how many
/// when the client's window ends, or every <see cref="SummaryInterval"/> while the flood lasts. The
/// metrics still count every rejection (<c>nexteleven_auth_rejections_total</c>,
/// <c>nexteleven_rate_limit_requests_total</c>).
/// <para>
/// Memory is bounded: with <see cref="MaxTrackedClients"/> clients tracked (each until its window ends),
/// further clients' rejections get no line of their own and are summed in one line for all of them.
/// </para>
/// </summary>
internal sealed partial class RejectionLogSampler : IHostedService, IDisposable
{
    /// <summary>How often summaries of running floods are written.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    public const int MaxTrackedClients = 100_000;

    private readonly ConcurrentDictionary<(LimitPartition Client, int Status), Flood> _floods = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _suppressed;
    private long _untracked;
    private int _tracked; // the dictionary's own Count takes every lock
    private ITimer? _timer;

    public RejectionLogSampler(TimeProvider time, RateLimitMetrics metrics, ILogger<RejectionLogSampler> logger)
    {
        _time = time;
        _logger = logger;
        _suppressed = metrics.Meter.CreateCounter<long>("nexteleven.log.suppressed_rejections", "{request}",
            "401 and 429 responses not logged one line each (a client's second and later in a window), by status; summarised instead.");
    }

    /// <summary>
    /// True for the first rejection of the request's client with this status in its window; otherwise
    /// counts it and returns false. A request the limiter never saw (no decision) is always logged.
    /// </summary>
    public bool ShouldLog(HttpContext context, int statusCode)
    {
        if (context.Features.Get<LimitResults>()?.Requests is not { } decision)
        {
            return true;
        }
        var key = (decision.Partition, statusCode);
        if (_floods.TryGetValue(key, out var flood) && flood.Reset == decision.Reset)
        {
            flood.Count();
            Suppressed(statusCode);
            return false;
        }
        if (flood is null && Volatile.Read(ref _tracked) >= MaxTrackedClients)
        {
            Interlocked.Increment(ref _untracked);
            Suppressed(statusCode);
            return false;
        }
        // A new window (or a first rejection): summarise what the old one held, then start counting afresh.
        var fresh = new Flood(decision.ClientId, decision.Partition.ToString(), decision.Policy.Name, decision.Reset);
        if (flood is not null && _floods.TryUpdate(key, fresh, flood))
        {
            Summarise(statusCode, flood);
            return true;
        }
        if (flood is null && _floods.TryAdd(key, fresh))
        {
            Interlocked.Increment(ref _tracked);
            return true;
        }
        // Another request of the same client got there first: it logs, this one counts.
        if (_floods.TryGetValue(key, out var winner))
        {
            winner.Count();
        }
        Suppressed(statusCode);
        return false;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(static state => ((RejectionLogSampler)state!).Flush(), this, SummaryInterval, SummaryInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        Flush(final: true);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Writes a summary for each flood with rejections not yet told, and forgets the floods whose window is over.</summary>
    internal void Flush(bool final = false)
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _floods)
        {
            Summarise(entry.Key.Status, entry.Value);
            if (final || entry.Value.Reset <= now)
            {
                // Removed only if no new window has replaced it meanwhile.
                if (_floods.TryRemove(entry))
                {
                    Interlocked.Decrement(ref _tracked);
                }
            }
        }
        var untracked = Interlocked.Exchange(ref _untracked, 0);
        if (untracked > 0)
        {
            Log.UntrackedRejections(_logger, untracked, MaxTrackedClients);
        }
    }

    private void Flush() => Flush(final: false);

    private void Summarise(int status, Flood flood)
    {
        var count = flood.TakeCount();
        if (count > 0)
        {
            Log.Summary(_logger, count, status, flood.ClientId, flood.Partition, flood.Policy, flood.Reset);
        }
    }

    private void Suppressed(int statusCode)
    {
        if (_suppressed.Enabled)
        {
            _suppressed.Add(1, new KeyValuePair<string, object?>("status", statusCode switch
            {
                StatusCodes.Status401Unauthorized => "401",
                StatusCodes.Status429TooManyRequests => "429",
                _ => statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }

    /// <summary>The rejections of one client with one status in one window, beyond the first.</summary>
    private sealed class Flood(string clientId, string partition, string policy, DateTimeOffset reset)
    {
        private long _count;

        public string ClientId { get; } = clientId;

        public string Partition { get; } = partition;

        public string Policy { get; } = policy;

        public DateTimeOffset Reset { get; } = reset;

        public void Count() => Interlocked.Increment(ref _count);

        public long TakeCount() => Interlocked.Exchange(ref _count, 0);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "{Rejected} more {StatusCode} responses to client {ClientId} ({Partition}, policy {Policy}) in the window ending {WindowEnd:O}, not logged one by one")]
        public static partial void Summary(ILogger logger, long rejected, int statusCode, string clientId, string partition, string policy,
            DateTimeOffset windowEnd);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "{Rejected} more rejections of clients beyond the {MaxTrackedClients} tracked for rejection summaries, not logged one by one")]
        public static partial void UntrackedRejections(ILogger logger, long rejected, int maxTrackedClients);
    }
}
