using System.Diagnostics.Metrics;
using System.Threading.Channels;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Usage;

/// <summary>
/// Records settled calls in the ledger off the request path: a call only adds its totals to a queue; one
/// loop adds up what is queued (one row per client, day and target, however many calls) and writes it in
/// one batch. A ledger that is slow or fails never delays or fails a request: the batch is kept and
/// tried again with a growing pause, said once in the log and counted, and what is still queued at
/// shutdown is written before the process exits. Only a queue overflow (the ledger down for long under
/// heavy traffic) loses calls, and those are counted and logged too.
/// </summary>
internal sealed partial class UsageRecorder : BackgroundService
{
    /// <summary>Calls queued at most while the ledger cannot keep up: about 10 MB.</summary>
    public const int MaxQueued = 100_000;

    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FlushAtShutdown = TimeSpan.FromSeconds(5);

    private readonly Channel<KeyValuePair<UsageKey, UsageTotals>> _queue = Channel.CreateBounded<KeyValuePair<UsageKey, UsageTotals>>(
        new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<UsageKey, UsageTotals> _pending = [];
    // Held while the pending rows are drained or written. The loop and the shutdown flush both do it, and a host
    // may stop its services twice at once (WebApplicationFactory with minimal hosting, dotnet/aspnetcore#40271).
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly IUsageLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageRecorder> _logger;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _lost;
    private int _lostTold;
    private volatile bool _closed;

    public UsageRecorder(IUsageLedger ledger, TimeProvider time, ILogger<UsageRecorder> logger, IMeterFactory meterFactory)
    {
        _ledger = ledger;
        _time = time;
        _logger = logger;
        var meter = meterFactory.Create(RateLimitMetrics.MeterName);
        _failures = meter.CreateCounter<long>("nexteleven.usage.ledger_failures", "{write}",
            "Ledger writes that failed and will be tried again; the calls stay queued.");
        _lost = meter.CreateCounter<long>("nexteleven.usage.ledger_lost", "{call}",
            "Settled calls that could not be queued for the ledger because its queue was full.");
    }

    /// <summary>Whether the last write failed (for readiness and env-status to tell, never to refuse traffic).</summary>
    public bool IsFailing { get; private set; }

    /// <summary>Queues one settled call of <paramref name="clientId"/> on <paramref name="target"/>, dated by the UTC day now.</summary>
    public void Record(string clientId, string target, UsageTotals call)
    {
        var key = new UsageKey(clientId, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime), target);
        if (!_queue.Writer.TryWrite(new(key, call)))
        {
            _lost.Add(1);
            // After shutdown's flush (the web server stops first, so only a straggler gets here) the queue is closed, not full.
            if (!_closed && Interlocked.Exchange(ref _lostTold, 1) == 0)
            {
                Log.QueueFull(_logger, MaxQueued);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Pauses are wall-clock time (the request clock only dates the rows).
        var retry = FirstRetry;
        try
        {
            while (true)
            {
                if (_pending.Count == 0)
                {
                    if (!await _queue.Reader.WaitToReadAsync(stoppingToken))
                    {
                        return;
                    }
                    // A moment for more calls to arrive, so that a busy second is one write, not thousands.
                    await Task.Delay(BatchWindow, stoppingToken);
                }
                else
                {
                    // The last write failed: its calls stay pending, and go with whatever came meanwhile.
                    await Task.Delay(retry, stoppingToken);
                    retry = retry * 2 < MaxRetry ? retry * 2 : MaxRetry;
                }
                await _writing.WaitAsync(stoppingToken);
                try
                {
                    Drain();
                    if (await TryWriteAsync(stoppingToken))
                    {
                        retry = FirstRetry;
                    }
                }
                finally
                {
                    _writing.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _closed = true;
        _queue.Writer.TryComplete();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(FlushAtShutdown);
        try
        {
            await _writing.WaitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            // The loop is still in a write that ignores cancellation: what it holds is its own; the queue is lost.
            Log.LostAtShutdown(_logger, _queue.Reader.Count);
            return;
        }
        try
        {
            Drain();
            if (!await TryWriteAsync(bounded.Token))
            {
                Log.LostAtShutdown(_logger, _pending.Values.Sum(t => t.Requests));
                _pending.Clear();
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private void Drain()
    {
        while (_queue.Reader.TryRead(out var call))
        {
            _pending[call.Key] = _pending.TryGetValue(call.Key, out var sum) ? sum + call.Value : call.Value;
        }
    }

    private async Task<bool> TryWriteAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return true;
        }
        try
        {
            await _ledger.AddAsync(_pending, cancellationToken);
            _pending.Clear();
            if (IsFailing)
            {
                IsFailing = false;
                Log.Recovered(_logger);
            }
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (exception is LedgerPartlyWritten partly)
            {
                // Those rows are in: only the rest is tried again.
                foreach (var written in partly.Written)
                {
                    _pending.Remove(written);
                }
            }
            _failures.Add(1);
            if (!IsFailing)
            {
                IsFailing = true;
                Log.Failing(_logger, exception.GetType().Name, exception.Message);
            }
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The usage ledger cannot be written ({Error}: {Reason}); calls are kept and the write is tried again. Requests are not affected")]
        public static partial void Failing(ILogger logger, string error, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "The usage ledger is written again; the calls kept meanwhile are in it")]
        public static partial void Recovered(ILogger logger);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "The usage ledger's queue is full ({Max} calls): calls that cannot be queued are not recorded (counted in nexteleven_usage_ledger_lost_total)")]
        public static partial void QueueFull(ILogger logger, int max);

        [LoggerMessage(Level = LogLevel.Error, Message = "The usage ledger could not be written at shutdown: {Calls} calls are not recorded")]
        public static partial void LostAtShutdown(ILogger logger, long calls);
    }
}
