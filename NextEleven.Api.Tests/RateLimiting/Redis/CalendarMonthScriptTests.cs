using NextEleven.Api.RateLimiting;
using NextEleven.Api.RateLimiting.Redis;
using NextEleven.Api.Tests.Infrastructure;
using StackExchange.Redis;

namespace NextEleven.Api.Tests.RateLimiting.Redis;

/// <summary>
/// The calendar month as the Redis scripts work it out from the server's clock, against the service's own
/// reckoning, on a real Redis: month ends, year ends, leap days and century years, to the millisecond.
/// </summary>
public sealed class CalendarMonthScriptTests
{
    private static readonly RateLimitPolicy Monthly = RateLimitPolicy.PerCalendarMonth("spend", 1);

    public static TheoryData<string> Instants() =>
    [
        "1970-01-01T00:00:00.000Z", "1999-12-31T23:59:59.999Z", "2000-01-01T00:00:00.000Z", "2000-02-29T12:00:00.000Z",
        "2024-02-29T23:59:59.999Z", "2024-03-01T00:00:00.000Z", "2026-01-31T23:59:59.999Z", "2026-02-01T00:00:00.000Z",
        "2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00.000Z", "2100-02-28T23:59:59.999Z", "2100-03-01T00:00:00.000Z",
        "2400-02-29T00:00:00.000Z",
    ];

    [Theory]
    [MemberData(nameof(Instants))]
    public async Task TheScriptAndTheServiceAgreeOnTheMonthAndItsEnd(string instant)
    {
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        await using var redis = await TestRedis.ConnectAsync(TestRedis.ConnectionString);

        var answer = await redis.GetDatabase().ScriptEvaluateAsync(
            "local now = tonumber(ARGV[1])\nlocal index\nlocal reset\n" + CounterScript.CalendarMonth + "\nreturn { index, reset }",
            values: [now]);

        var index = Monthly.WindowIndexAt(now);
        Assert.Equal(index, (long)answer[0]);
        Assert.Equal(Monthly.WindowEnd(index).ToUnixTimeMilliseconds(), (long)answer[1]);
    }

    [Fact]
    public void EveryDayOfFourHundredYearsFallsInTheMonthThatStartsBeforeItAndEndsAfterIt()
    {
        for (var day = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero); day.Year < 2400; day = day.AddDays(1))
        {
            var index = Monthly.WindowIndexAt(day.ToUnixTimeMilliseconds());
            Assert.Equal(new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero), Monthly.WindowStart(index));
            Assert.Equal(Monthly.WindowStart(index).AddMonths(1), Monthly.WindowEnd(index));
        }
    }
}
