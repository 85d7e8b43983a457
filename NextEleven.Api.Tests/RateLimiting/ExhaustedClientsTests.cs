using System.Net;
using Microsoft.Extensions.Time.Testing;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.Tests.RateLimiting;

[Trait("Category", "Unit")]
public sealed class ExhaustedClientsTests
{
    private static readonly RateLimitPolicy Policy = new("default", 10, TimeSpan.FromMinutes(1));
    private static readonly LimitPartition Client = LimitPartition.FromAddress(IPAddress.Parse("198.51.100.7"));

    // Redis's clock runs 42 s ahead of this instance's: only the distance to Reset may matter.
    private static readonly DateTimeOffset RedisNow = new(2026, 1, 14, 17, 0, 42, TimeSpan.Zero);
    private static readonly DateTimeOffset Reset = new(2026, 1, 14, 17, 1, 0, TimeSpan.Zero);

    [Fact]
    public void AnEmptyBudgetIsRefusedLocallyUntilItsResetOnTheDecidingClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 14, 17, 0, 0, TimeSpan.Zero));
        var exhausted = new ExhaustedClients(time, capacity: 10);

        exhausted.Remember(Policy, Client, new PermitResult(false, 0, Reset, RedisNow));
        time.Advance(TimeSpan.FromSeconds(8));
        var refusedMeanwhile = exhausted.TryGetRejection(Policy, Client, out var rejection);
        time.Advance(TimeSpan.FromSeconds(10));
        var refusedAtReset = exhausted.TryGetRejection(Policy, Client, out _);

        Assert.True(refusedMeanwhile);
        Assert.Equal(new PermitResult(false, 0, Reset, Reset - TimeSpan.FromSeconds(10)), rejection);
        Assert.False(refusedAtReset);
    }

    [Fact]
    public void ABudgetWithPermitsLeftIsNotRemembered()
    {
        var exhausted = new ExhaustedClients(new FakeTimeProvider(), capacity: 10);

        exhausted.Remember(Policy, Client, new PermitResult(true, 1, Reset, RedisNow));

        Assert.False(exhausted.TryGetRejection(Policy, Client, out _));
    }

    [Fact]
    public void PastItsCapacityOnlyRoomFreedByExpiredClientsIsUsed()
    {
        var time = new FakeTimeProvider();
        var exhausted = new ExhaustedClients(time, capacity: 1);
        var other = LimitPartition.FromAddress(IPAddress.Parse("198.51.100.8"));
        var now = time.GetUtcNow();

        exhausted.Remember(Policy, Client, new PermitResult(false, 0, now.AddSeconds(5), now));
        exhausted.Remember(Policy, other, new PermitResult(false, 0, now.AddSeconds(5), now));
        var otherKeptWhileFull = exhausted.TryGetRejection(Policy, other, out _);
        time.Advance(TimeSpan.FromSeconds(6));
        exhausted.Remember(Policy, other, new PermitResult(false, 0, now.AddSeconds(20), now.AddSeconds(6)));

        Assert.False(otherKeptWhileFull);
        Assert.True(exhausted.TryGetRejection(Policy, other, out _));
    }
}
