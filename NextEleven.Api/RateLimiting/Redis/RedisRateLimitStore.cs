using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Counters in Redis, shared by every instance: one script call per decision (<see cref="PermitScript"/>).
/// Redis down or slow never fails a request: a call that fails or takes longer than
/// <see cref="RedisStoreOptions.Timeout"/> (measured fairly, see <see cref="FairDeadline"/>, so a burst on
/// a healthy Redis is not an outage) is decided by this instance's memory, and after a few such calls in
/// a row the store stops asking Redis (<c>fallback</c>) and probes it in the background until it
/// answers, then goes back to it. What memory admitted meanwhile is added to Redis's counters once it
/// answers (<see cref="RedisReconciliation"/>). No request thread ever waits on a synchronous Redis call.
/// </summary>
internal sealed class RedisRateLimitStore : IRateLimitStore, IAsyncDisposable
{
    public const string RedisStateName = "redis";
    public const string FallbackStateName = "fallback";

    /// <summary>Failed calls in a row that switch to memory: one blip does not, a dead server soon does.</summary>
    internal const int FailuresBeforeFallback = 3;

    private readonly RedisStoreOptions _options;
    private readonly MemoryRateLimitStore _memory;
    private readonly ExhaustedClients _exhausted;
    private readonly RedisReconciliation _owed;
    private readonly TimeProvider _time;
    private readonly RateLimitMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _stateGate = new();
    private ConnectionMultiplexer? _connection;
    private IDatabaseAsync? _database;
    private volatile bool _inFallback = true;
    private int _failuresInARow;
    private long _answers;
    private Task _probing = Task.CompletedTask;

    public RedisRateLimitStore(IOptions<RedisStoreOptions> options, IOptions<RateLimitOptions> rateLimits,
        MemoryRateLimitStore memory, TimeProvider time, RateLimitMetrics metrics, ILogger<RedisRateLimitStore> logger)
    {
        _options = options.Value;
        _memory = memory;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _exhausted = new ExhaustedClients(time, rateLimits.Value.MaxTrackedClients);
        _owed = new RedisReconciliation(time, rateLimits.Value.MaxTrackedClients);
    }

    public string State => _inFallback ? FallbackStateName : RedisStateName;

    /// <summary>How often a store in fallback asks Redis whether it is back.</summary>
    internal static TimeSpan ProbeInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Connects, or starts in fallback when Redis cannot be reached yet: the connection keeps trying in the
    /// background and the probe switches over once it answers.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(_options.ConnectionString!);
        configuration.AbortOnConnectFail = false;
        // Fail at once while disconnected instead of queueing: the request is decided from memory meanwhile.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "nexteleven-api";
        // Reconnect at a steady pace rather than backing off to minutes: a limiter wants its shared counters back soon.
        configuration.ReconnectRetryPolicy = new LinearRetry((int)ProbeInterval.TotalMilliseconds);
        _connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        _database = _connection.GetDatabase();
        // The first script call also compiles the script: give it the connect timeout, not the per-decision one.
        if (await FailureOfProbeAsync(TimeSpan.FromMilliseconds(configuration.ConnectTimeout)).ConfigureAwait(false) is { } failure)
        {
            EnterFallback(failure);
        }
        else
        {
            _inFallback = false;
            RedisStoreLog.UsingRedis(_logger);
        }
    }

    public ValueTask<PermitResult> TakeAsync(RateLimitPolicy policy, LimitPartition client, int amount)
    {
        if (_exhausted.TryGetRejection(policy, client, out var rejection))
        {
            return ValueTask.FromResult(rejection);
        }
        if (_inFallback)
        {
            return ValueTask.FromResult(FromMemory(policy, client, amount));
        }
        return new ValueTask<PermitResult>(TakeFromRedisAsync(policy, client, amount));
    }

    private long Answers() => Volatile.Read(ref _answers);

    /// <summary>
    /// A call Redis answered: failures in a row start again from none, and what memory admitted is added
    /// to Redis's counters, in the background.
    /// </summary>
    private void Answered()
    {
        Interlocked.Increment(ref _answers);
        Volatile.Write(ref _failuresInARow, 0);
        if (!_owed.IsEmpty && !_inFallback)
        {
            _ = _owed.PayAsync(_database!, _options.Timeout, Answers);
        }
    }

    public ValueTask<BudgetResult> ReserveBudgetAsync(RateLimitPolicy budget, LimitPartition client, long minimum, long maximum)
    {
        // No shortcut for an exhausted client here: settlements give tokens back before the window ends.
        if (_inFallback)
        {
            return ValueTask.FromResult(ReserveTokensInMemory(budget, client, minimum, maximum));
        }
        return new ValueTask<BudgetResult>(OnRedisAsync(
            TokenScript.ReserveAsync(_database!, BudgetKey(budget, client), budget, minimum, maximum),
            () => ReserveTokensInMemory(budget, client, minimum, maximum),
            (memory, landed) => _owed.Landed(BudgetKey(budget, client), budget, memory.Reset, landed.Reset, landed.Granted)));
    }

    public ValueTask<BudgetResult> SettleBudgetAsync(RateLimitPolicy budget, LimitPartition client, BudgetResult reservation, long correction)
    {
        // Settled where it was reserved; what memory settles, or a settlement Redis misses, is owed to
        // Redis's counter of the reservation's window, so the shared budget ends up charged what was used.
        if (reservation.InMemory)
        {
            _owed.Owe(BudgetKey(budget, client), budget, reservation.Reset, correction);
            return ValueTask.FromResult(_memory.SettleBudget(budget, client, reservation, correction));
        }
        return new ValueTask<BudgetResult>(OnRedisAsync(
            TokenScript.SettleAsync(_database!, BudgetKey(budget, client), budget, reservation, correction),
            () =>
            {
                _owed.Owe(BudgetKey(budget, client), budget, reservation.Reset, correction);
                return reservation with { Granted = 0 };
            },
            // A settlement that landed after all was applied by Redis: nothing more is owed for it.
            (_, _) => _owed.Owe(BudgetKey(budget, client), budget, reservation.Reset, -correction)));
    }

    private BudgetResult ReserveTokensInMemory(RateLimitPolicy budget, LimitPartition client, long minimum, long maximum)
    {
        _metrics.DecidedInFallback(budget.Name);
        var take = _memory.ReserveBudget(budget, client, minimum, maximum);
        _owed.Owe(BudgetKey(budget, client), budget, take.Reset, take.Granted);
        return take;
    }

    /// <summary>
    /// A token script call under the same timeout and failure counting as a permit decision. When it timed
    /// out, <paramref name="landedLate"/> is told what it did in Redis if it answers after all.
    /// </summary>
    private async Task<BudgetResult> OnRedisAsync(Task<BudgetResult> call, Func<BudgetResult> otherwise, Action<BudgetResult, BudgetResult> landedLate)
    {
        BudgetResult take;
        try
        {
            take = await FairDeadline.WaitAsync(call, _options.Timeout, _time, Answers).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            CountFailure(failure);
            var decided = otherwise();
            if (failure is TimeoutException)
            {
                _ = call.ContinueWith(late => landedLate(decided, late.Result), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
            return decided;
        }
        Answered();
        return take;
    }

    private async Task<PermitResult> TakeFromRedisAsync(RateLimitPolicy policy, LimitPartition client, int amount)
    {
        PermitResult take;
        var counter = CounterKey(policy, client);
        var call = PermitScript.RunAsync(_database!, counter, policy, amount);
        try
        {
            take = await FairDeadline.WaitAsync(call, _options.Timeout, _time, Answers).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            CountFailure(failure);
            var decided = FromMemory(policy, client, amount);
            if (failure is TimeoutException && decided.IsTaken)
            {
                // A call that timed out may still land in Redis: then that permit is counted there already.
                // One memory refused but Redis took costs the client a permit, never gains it one.
                _ = call.ContinueWith(late => _owed.Landed(counter, policy, decided.Reset, late.Result.Reset, late.Result.IsTaken ? amount : 0),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
            return decided;
        }
        Answered();
        _exhausted.Remember(policy, client, take);
        return take;
    }

    /// <summary>
    /// <c>{prefix}rl:{client}:{policy}</c>. The braces make the client the hash tag, so in a Redis Cluster
    /// all of a client's counters live on one node.
    /// </summary>
    private RedisKey CounterKey(RateLimitPolicy policy, LimitPartition client) =>
        string.Concat(_options.KeyPrefix, "rl:{", client.ToString(), "}:", policy.Name);

    /// <summary>
    /// <c>{prefix}tk:{client}:tokens</c> and <c>{prefix}tk:{client}:spend</c>: apart from the permit counters,
    /// whose last part is a policy name that a client or tier could share with a budget's.
    /// </summary>
    private RedisKey BudgetKey(RateLimitPolicy budget, LimitPartition client) =>
        string.Concat(_options.KeyPrefix, "tk:{", client.ToString(), "}:", budget.Name);

    private void CountFailure(Exception failure)
    {
        if (Interlocked.Increment(ref _failuresInARow) >= FailuresBeforeFallback)
        {
            EnterFallback(failure);
        }
    }

    private PermitResult FromMemory(RateLimitPolicy policy, LimitPartition client, int amount)
    {
        _metrics.DecidedInFallback(policy.Name);
        var take = _memory.Take(policy, client, amount);
        if (take.IsTaken)
        {
            _owed.Owe(CounterKey(policy, client), policy, take.Reset, amount);
        }
        return take;
    }

    private void EnterFallback(Exception failure)
    {
        // A server's own error (no Lua, say) is worth reading; a connection's or a timeout's type says it all.
        var reason = failure is RedisServerException ? failure.Message : failure.GetType().Name;
        lock (_stateGate)
        {
            if (!_probing.IsCompleted || _stopping.IsCancellationRequested)
            {
                return;
            }
            _inFallback = true;
            RedisStoreLog.FellBackToMemory(_logger, reason);
            _probing = ProbeUntilBackAsync();
        }
    }

    private async Task ProbeUntilBackAsync()
    {
        try
        {
            do
            {
                await Task.Delay(ProbeInterval, _time, _stopping.Token).ConfigureAwait(false);
            }
            while (await FailureOfProbeAsync(_options.Timeout).ConfigureAwait(false) is not null);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        Volatile.Write(ref _failuresInARow, 0);
        // What memory admitted meanwhile joins the shared counters before Redis decides again.
        await _owed.PayAsync(_database!, _options.Timeout, Answers).ConfigureAwait(false);
        _inFallback = false;
        RedisStoreLog.BackOnRedis(_logger);
    }

    /// <summary>
    /// A round trip of the script itself on a throw-away key, so a server without Lua does not count as
    /// back; null when it answered.
    /// </summary>
    private async Task<Exception?> FailureOfProbeAsync(TimeSpan timeout)
    {
        try
        {
            var probe = new RateLimitPolicy("probe", 1, TimeSpan.FromSeconds(1));
            await PermitScript.RunAsync(_database!, _options.KeyPrefix + "probe", probe, 1)
                .WaitAsync(timeout, _time, _stopping.Token).ConfigureAwait(false);
            await ScriptCache.LoadEverywhereAsync(_connection!).WaitAsync(timeout, _time, _stopping.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            return failure;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _probing.ConfigureAwait(false);
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
    }
}
