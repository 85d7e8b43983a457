using Microsoft.Extensions.Logging.Abstractions;
using NextEleven.Api.Tests.Infrastructure;
using NextEleven.Api.Usage;

namespace NextEleven.Api.Tests.Usage;

/// <summary>The recorder's own promises, without a host: every queued call reaches the ledger once, however it is stopped.</summary>
public sealed class UsageRecorderTests
{
    [Fact]
    public async Task CallsRecordedFromManyThreadsReachTheLedgerOnceEvenWhenTheHostStopsItTwiceAtOnce()
    {
        // A slow ledger keeps the loop inside a write while the calls race in and the stops begin.
        var ledger = new SlowLedger(TimeSpan.FromMilliseconds(50));
        using var meters = new TestMeterFactory();
        using var recorder = new UsageRecorder(ledger, TimeProvider.System, NullLogger<UsageRecorder>.Instance, meters);
        await recorder.StartAsync(CancellationToken.None);

        const int Writers = 8, CallsEach = 2_000;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(() =>
        {
            for (var call = 0; call < CallsEach; call++)
            {
                recorder.Record($"client-{writer}", "default", UsageTotals.OneCall(10, 0, 5, 0.000_015m));
            }
        })));

        // Minimal hosting under WebApplicationFactory stops every hosted service twice, from two threads.
        await Task.WhenAll(recorder.StopAsync(CancellationToken.None), recorder.StopAsync(CancellationToken.None));

        var totals = ledger.Totals();
        Assert.Equal(Writers, totals.Count);
        Assert.All(totals.Values, row =>
        {
            Assert.Equal(CallsEach, row.Requests);
            Assert.Equal(CallsEach * 10L, row.InputTokens);
            Assert.Equal(CallsEach * 15L, row.CostMicros);
        });
    }

    [Fact]
    public async Task AfterAWriteThatLandedPartlyOnlyTheRowsNotWrittenAreTriedAgain()
    {
        var ledger = new PartlyFailingLedger();
        using var meters = new TestMeterFactory();
        using var recorder = new UsageRecorder(ledger, TimeProvider.System, NullLogger<UsageRecorder>.Instance, meters);
        await recorder.StartAsync(CancellationToken.None);
        recorder.Record("acme", "default", UsageTotals.OneCall(10, 0, 5, 0.000_015m));
        recorder.Record("globex", "default", UsageTotals.OneCall(10, 0, 5, 0.000_015m));

        // The first write adds acme's row, then fails; the retry (a second later) brings globex's alone.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ledger.Writes < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await recorder.StopAsync(CancellationToken.None);

        Assert.Equal(2, ledger.Writes);
        Assert.Equal([("acme", 1L), ("globex", 1L)], ledger.Totals().Select(row => (row.Key.ClientId, row.Value.Requests)).OrderBy(row => row.ClientId));
    }

    private sealed class PartlyFailingLedger : IUsageLedger
    {
        private readonly Dictionary<UsageKey, UsageTotals> _rows = [];

        public int Writes { get; private set; }

        public Task AddAsync(IReadOnlyDictionary<UsageKey, UsageTotals> rows, CancellationToken cancellationToken)
        {
            Writes++;
            foreach (var (key, value) in rows.OrderBy(row => row.Key.ClientId, StringComparer.Ordinal))
            {
                _rows[key] = _rows.TryGetValue(key, out var sum) ? sum + value : value;
                if (Writes == 1)
                {
                    throw new LedgerPartlyWritten([key], new InvalidOperationException("connection lost"));
                }
            }
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>>> ReadAsync(string? clientId, DateOnly from, DateOnly to,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Dictionary<UsageKey, UsageTotals> Totals() => new(_rows);
    }

    private sealed class SlowLedger(TimeSpan delay) : IUsageLedger
    {
        private readonly Dictionary<UsageKey, UsageTotals> _rows = [];
        private int _writing;

        public async Task AddAsync(IReadOnlyDictionary<UsageKey, UsageTotals> rows, CancellationToken cancellationToken)
        {
            // Two writers at once would be the race this test is about.
            Assert.Equal(0, Interlocked.Exchange(ref _writing, 1));
            await Task.Delay(delay, CancellationToken.None);
            foreach (var (key, value) in rows)
            {
                _rows[key] = _rows.TryGetValue(key, out var sum) ? sum + value : value;
            }
            Volatile.Write(ref _writing, 0);
        }

        public Task<IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>>> ReadAsync(string? clientId, DateOnly from, DateOnly to,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Dictionary<UsageKey, UsageTotals> Totals() => new(_rows);
    }
}
