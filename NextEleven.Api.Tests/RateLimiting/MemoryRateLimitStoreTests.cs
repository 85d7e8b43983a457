using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>The memory store on its own, on a fake clock: no host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class MemoryRateLimitStoreTests : IDisposable
{
    private static readonly DateTimeOffset HalfPastFive = new(2026, 1, 14, 17, 30, 0, TimeSpan.Zero);
    private static readonly RateLimitPolicy Hourly = new("default", 3, TimeSpan.FromHours(1));
    private static readonly LimitPartition Acme = LimitPartition.FromClient("acme");

    private readonly FakeTimeProvider _time = new(HalfPastFive);
    private readonly TestMeterFactory _meters = new();

    private MemoryRateLimitStore Store(int maxTrackedClients = 1_000) =>
        new(Options.Create(new RateLimitOptions { MaxTrackedClients = maxTrackedClients }), _time, new RateLimitMetrics(_meters),
            NullLogger<MemoryRateLimitStore>.Instance);

    [Fact]
    public void ExactlyThePermitLimitIsTakenAndRemainingCountsDown()
    {
        var store = Store();

        var takes = Enumerable.Range(0, 4).Select(_ => store.Take(Hourly, Acme, 1)).ToList();

        Assert.Equal([true, true, true, false], takes.Select(t => t.IsTaken));
        Assert.Equal([2L, 1, 0, 0], takes.Select(t => t.Remaining));
    }

    [Fact]
    public void TheWindowEndsOnTheHourAndTheNextStartsFull()
    {
        var store = Store();
        store.Take(Hourly, Acme, 3);

        var exhausted = store.Take(Hourly, Acme, 1);
        _time.Advance(TimeSpan.FromMinutes(30));
        var next = store.Take(Hourly, Acme, 1);

        Assert.False(exhausted.IsTaken);
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 18, 0, 0, TimeSpan.Zero), exhausted.Reset);
        Assert.True(next.IsTaken);
        Assert.Equal(2, next.Remaining);
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 19, 0, 0, TimeSpan.Zero), next.Reset);
    }

    [Fact]
    public void AnAmountIsTakenAllOrNone()
    {
        var store = Store();

        var tooMany = store.Take(Hourly, Acme, 4);
        var fits = store.Take(Hourly, Acme, 3);

        Assert.False(tooMany.IsTaken);
        Assert.Equal(3, tooMany.Remaining);
        Assert.True(fits.IsTaken);
        Assert.Equal(0, fits.Remaining);
    }

    [Fact]
    public void ClientsAndPoliciesCountApart()
    {
        var store = Store();
        var minute = new RateLimitPolicy("burst", 3, TimeSpan.FromMinutes(1));
        store.Take(Hourly, Acme, 3);

        Assert.True(store.Take(Hourly, LimitPartition.FromClient("globex"), 1).IsTaken);
        Assert.True(store.Take(minute, Acme, 1).IsTaken);
        Assert.False(store.Take(Hourly, Acme, 1).IsTaken);
    }

    [Fact]
    public void PastTheTrackedClientsCapNewAddressesShareOneBudgetButNamedClientsNever()
    {
        var store = Store(maxTrackedClients: 2);
        store.Take(Hourly, LimitPartition.FromAddress(System.Net.IPAddress.Parse("198.51.100.1")), 1);
        store.Take(Hourly, LimitPartition.FromAddress(System.Net.IPAddress.Parse("198.51.100.2")), 1);

        var sprayed = Enumerable.Range(3, 4)
            .Select(i => store.Take(Hourly, LimitPartition.FromAddress(System.Net.IPAddress.Parse($"198.51.100.{i}")), 1)).ToList();
        var named = store.Take(Hourly, Acme, 1);

        Assert.Equal([true, true, true, false], sprayed.Select(t => t.IsTaken));
        Assert.True(named.IsTaken);
        Assert.Equal(2, named.Remaining);
    }

    [Fact]
    public async Task UnderConcurrencyNoMoreThanTheLimitIsTakenAndEachRemainingIsSeenOnce()
    {
        var store = Store();
        var policy = new RateLimitPolicy("default", 500, TimeSpan.FromHours(1));

        var takes = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => Task.Run(() => store.Take(policy, Acme, 1))));

        var admitted = takes.Where(t => t.IsTaken).Select(t => t.Remaining).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), admitted);
    }

    [Fact]
    public void TokensAreReservedUpToTheMaximumOrNotAtAllBelowTheMinimum()
    {
        var store = Store();
        var budget = new RateLimitPolicy("tokens", 100, TimeSpan.FromDays(1));

        var first = store.ReserveBudget(budget, Acme, minimum: 10, maximum: 70);
        var second = store.ReserveBudget(budget, Acme, minimum: 10, maximum: 70);
        var third = store.ReserveBudget(budget, Acme, minimum: 10, maximum: 70);

        Assert.Equal((70L, 30L), (first.Granted, first.Remaining));
        Assert.Equal((30L, 0L), (second.Granted, second.Remaining));
        Assert.Equal((0L, 0L), (third.Granted, third.Remaining));
        Assert.True(first.InMemory);
    }

    [Fact]
    public void ASettlementGivesBackWhatWasNotUsedInTheReservationsWindowOnly()
    {
        var store = Store();
        var budget = new RateLimitPolicy("tokens", 100, TimeSpan.FromHours(1));
        var reservation = store.ReserveBudget(budget, Acme, 1, 80);

        var settled = store.SettleBudget(budget, Acme, reservation, correction: -50);
        var later = store.ReserveBudget(budget, Acme, 1, 80);
        _time.Advance(TimeSpan.FromHours(1));
        var afterWindow = store.SettleBudget(budget, Acme, later, correction: -70);

        Assert.Equal(70, settled.Remaining);
        Assert.Equal(70, later.Granted);
        Assert.Equal(100, afterWindow.Remaining);
    }

    [Fact]
    public void ASettlementNeverTakesTheCountBelowZero()
    {
        var store = Store();
        var budget = new RateLimitPolicy("tokens", 100, TimeSpan.FromHours(1));
        var reservation = store.ReserveBudget(budget, Acme, 1, 10);

        var settled = store.SettleBudget(budget, Acme, reservation, correction: -1_000);

        Assert.Equal(100, settled.Remaining);
    }

    public void Dispose() => _meters.Dispose();
}
