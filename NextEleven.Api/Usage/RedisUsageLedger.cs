using System.Globalization;
using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting.Redis;
using StackExchange.Redis;

namespace NextEleven.Api.Usage;

/// <summary>
/// The ledger every instance shares, in the Redis that holds the limits: one hash per client and UTC day,
/// <c>{prefix}usage:{client}:2026-12-01</c> (the braces keep a client's days on one cluster node), with a
/// field per target and counter, added to with <c>HINCRBY</c> and kept for <c>Usage:Retention</c>.
/// </summary>
internal sealed class RedisUsageLedger : IUsageLedger, IDisposable
{
    private const char Separator = '\u001f';
    private static readonly string[] Counters = ["requests", "input", "cached", "output", "cost"];

    private readonly Func<Task<IConnectionMultiplexer>> _connection;
    private readonly string _prefix;
    private readonly TimeSpan _retention;
    private readonly Lazy<Task<ConnectionMultiplexer>>? _own;

    /// <summary>
    /// The service's ledger, on a connection of its own to the limits' Redis: a batch of ledger writes must
    /// never queue on the socket in front of the limiter's decisions, which have a deadline of 250 ms. It
    /// connects on the first write, in the recorder's loop, never at start or on a request.
    /// </summary>
    public RedisUsageLedger(IOptions<RedisStoreOptions> redis, IOptions<UsageOptions> usage)
    {
        var configuration = ConfigurationOptions.Parse(redis.Value.ConnectionString!);
        // Keep trying in the background: the recorder keeps its calls until Redis answers.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = (configuration.ClientName ?? "nexteleven-api") + "-usage";
        _own = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(configuration));
        _connection = async () => await _own.Value;
        _prefix = redis.Value.KeyPrefix;
        _retention = usage.Value.Retention;
    }

    /// <summary>A ledger on a connection its caller owns (the <c>usage</c> command's).</summary>
    public RedisUsageLedger(IConnectionMultiplexer connection, string prefix, TimeSpan retention)
    {
        _connection = () => Task.FromResult(connection);
        _prefix = prefix;
        _retention = retention;
    }

    public async Task AddAsync(IReadOnlyDictionary<UsageKey, UsageTotals> rows, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken);
        // One transaction per row (one key, so one cluster slot), all sent at once: a report read meanwhile
        // sees a row's calls with their tokens and cost, never the calls alone.
        var rowWrites = new List<(UsageKey Key, Task<bool> Write)>(rows.Count);
        foreach (var (key, totals) in rows)
        {
            var hash = KeyOf(key.ClientId, key.Day);
            var transaction = database.CreateTransaction();
            long[] values = [totals.Requests, totals.InputTokens, totals.CachedInputTokens, totals.OutputTokens, totals.CostMicros];
            for (var i = 0; i < Counters.Length; i++)
            {
                if (values[i] != 0 || i == 0)
                {
                    _ = transaction.HashIncrementAsync(hash, key.Target + Separator + Counters[i], values[i]);
                }
            }
            _ = transaction.KeyExpireAsync(hash, _retention);
            rowWrites.Add((key, transaction.ExecuteAsync()));
        }
        try
        {
            await Task.WhenAll(rowWrites.Select(row => row.Write)).WaitAsync(cancellationToken);
        }
        catch (Exception failure) when (rowWrites.Any(row => row.Write.IsCompletedSuccessfully))
        {
            throw new LedgerPartlyWritten([.. rowWrites.Where(row => row.Write.IsCompletedSuccessfully).Select(row => row.Key)], failure);
        }
    }

    public async Task<IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>>> ReadAsync(string? clientId, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken);
        var keys = new List<(string Client, DateOnly Day, RedisKey Key)>();
        if (clientId is not null)
        {
            for (var day = to; day >= from; day = day.AddDays(-1))
            {
                keys.Add((clientId, day, KeyOf(clientId, day)));
            }
        }
        else
        {
            // Every client: the keys of the ledger on each primary (a cluster spreads clients over its nodes).
            var connection = await _connection().WaitAsync(cancellationToken);
            foreach (var server in connection.GetServers().Where(s => !s.IsReplica && s.IsConnected))
            {
                await foreach (var key in server.KeysAsync(pattern: _prefix + "usage:*", pageSize: 1000).WithCancellation(cancellationToken))
                {
                    if (Parse(key.ToString()) is { } parsed && parsed.Day >= from && parsed.Day <= to)
                    {
                        keys.Add((parsed.Client, parsed.Day, key));
                    }
                }
            }
        }
        var reads = keys.Select(k => database.HashGetAllAsync(k.Key)).ToList();
        await Task.WhenAll(reads).WaitAsync(cancellationToken);
        var rows = new List<KeyValuePair<UsageKey, UsageTotals>>();
        for (var i = 0; i < keys.Count; i++)
        {
            var byTarget = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var entry in reads[i].Result)
            {
                var field = entry.Name.ToString();
                var cut = field.LastIndexOf(Separator);
                var counter = Array.IndexOf(Counters, field[(cut + 1)..]);
                if (cut <= 0 || counter < 0)
                {
                    continue;
                }
                var target = field[..cut];
                if (!byTarget.TryGetValue(target, out var values))
                {
                    byTarget[target] = values = new long[Counters.Length];
                }
                values[counter] = (long)entry.Value;
            }
            foreach (var (target, v) in byTarget)
            {
                rows.Add(new(new UsageKey(keys[i].Client, keys[i].Day, target), new UsageTotals(v[0], v[1], v[2], v[3], v[4])));
            }
        }
        return rows;
    }

    public void Dispose()
    {
        if (_own is { IsValueCreated: true, Value.IsCompletedSuccessfully: true })
        {
            _own.Value.Result.Dispose();
        }
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection().WaitAsync(cancellationToken);
        return connection.IsConnected ? connection.GetDatabase() : throw new InvalidOperationException("Redis is not connected yet.");
    }

    private RedisKey KeyOf(string clientId, DateOnly day) =>
        string.Concat(_prefix, "usage:{", clientId, "}:", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private (string Client, DateOnly Day)? Parse(string key)
    {
        var open = key.IndexOf('{', _prefix.Length);
        var close = key.LastIndexOf("}:", StringComparison.Ordinal);
        return open < 0 || close <= open
            || !DateOnly.TryParseExact(key[(close + 2)..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? null
            : (key[(open + 1)..close], day);
    }
}
