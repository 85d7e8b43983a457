using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NextEleven.Api.Budgets;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>Token-budget arithmetic, reserve then settle, on the memory store and a fake clock: no host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class TokenBudgetTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly RateLimitPolicy Daily = new(TokenBudget.PolicyName, 1_000, TimeSpan.FromDays(1));
    private static readonly LimitPartition Acme = LimitPartition.FromClient("acme");

    private readonly FakeTimeProvider _time = new(Noon);
    private readonly TestMeterFactory _meters = new();
    private readonly TokenBudget _budget;

    public TokenBudgetTests()
    {
        var options = Options.Create(new RateLimitOptions());
        var store = new MemoryRateLimitStore(options, _time, new RateLimitMetrics(_meters), NullLogger<MemoryRateLimitStore>.Instance);
        _budget = new TokenBudget(store, options);
    }

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task AReservationHoldsTheEstimatePlusTheCapAndSendsTheCapUpstream()
    {
        var reservation = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 100, outputCap: 200);

        Assert.True(reservation.IsGranted);
        Assert.Equal(300, reservation.Take.Granted);
        Assert.Equal(200, reservation.OutputCap);
        Assert.Equal(700, reservation.Balance.Remaining);
        Assert.Equal(Noon.Date.AddDays(1), reservation.Balance.Reset.UtcDateTime);
    }

    [Fact]
    public async Task WhenLessThanTheCapIsLeftTheCapIsLoweredToWhatFits()
    {
        await _budget.ReserveAsync(Daily, Acme, inputEstimate: 100, outputCap: 800);

        var lowered = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 50, outputCap: 500);

        Assert.Equal(100, lowered.Take.Granted);
        Assert.Equal(50, lowered.OutputCap);
        Assert.Equal(0, lowered.Balance.Remaining);
    }

    [Fact]
    public async Task ACallIsRefusedWhenNotOneOutputTokenFitsBesideItsEstimate()
    {
        await _budget.ReserveAsync(Daily, Acme, inputEstimate: 0, outputCap: 950);

        var refused = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 50, outputCap: 10);

        Assert.False(refused.IsGranted);
        Assert.Equal(0, refused.Take.Granted);
        Assert.Equal(50, refused.Balance.Remaining);
        Assert.Equal(43_200, refused.Balance.SecondsUntilReset);
    }

    [Fact]
    public async Task SettlingGivesBackWhatWasNotUsedAndChargesWhatWentOver()
    {
        var first = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 100, outputCap: 200);
        var afterFirst = await _budget.SettleAsync(first, used: 120);
        var second = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 10, outputCap: 10);
        var afterSecond = await _budget.SettleAsync(second, used: 50);

        Assert.Equal(880, afterFirst.Remaining);
        Assert.Equal(830, afterSecond.Remaining);
    }

    [Fact]
    public async Task SettlingToExactlyTheReservationTellsTheReservationsBalance()
    {
        var reservation = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 100, outputCap: 200);

        var settled = await _budget.SettleAsync(reservation, used: 300);

        Assert.Same(reservation.Balance, settled);
    }

    [Fact]
    public async Task ABudgetRefillsWhenItsWindowEnds()
    {
        await _budget.ReserveAsync(Daily, Acme, inputEstimate: 0, outputCap: 1_000);
        _time.Advance(TimeSpan.FromHours(12));

        var fresh = await _budget.ReserveAsync(Daily, Acme, inputEstimate: 0, outputCap: 10);

        Assert.Equal(990, fresh.Balance.Remaining);
    }

    [Fact]
    public void AClientsBudgetComesFromItsOwnLimitsThenItsTiersThenTheDefaultFieldByField()
    {
        var limits = new RateLimitOptions { Tokens = { PermitLimit = 5_000, Window = TimeSpan.FromHours(1) } };
        var tier = new TokenLimitOptions { Window = TimeSpan.FromMinutes(10) };
        var own = new TokenLimitOptions { PermitLimit = 700 };

        var ownAndTier = TokenBudget.PolicyFor(own, tier, limits)!;
        var defaults = TokenBudget.PolicyFor(null, null, limits)!;

        Assert.Equal((700, TimeSpan.FromMinutes(10)), (ownAndTier.PermitLimit, ownAndTier.Window));
        Assert.Equal((5_000, TimeSpan.FromHours(1)), (defaults.PermitLimit, defaults.Window));
        Assert.Null(TokenBudget.PolicyFor(null, tier, new RateLimitOptions()));
        Assert.Equal(TokenLimitOptions.DefaultWindow, TokenBudget.PolicyFor(own, null, new RateLimitOptions())!.Window);
    }
}
