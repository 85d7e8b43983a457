using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>Limits that could not work are refused at start, each naming its setting: no host.</summary>
[Trait("Category", "Unit")]
public sealed class RateLimitOptionsValidatorTests
{
    private static IEnumerable<string>? Failures(RateLimitOptions options) =>
        new RateLimitOptionsValidator().Validate(null, options).Failures;

    [Fact]
    public void TheDefaultsPass() => Assert.Null(Failures(new RateLimitOptions()));

    [Theory]
    [InlineData(0, "01:00:00", "RateLimit:PermitLimit must be at least 1.")]
    [InlineData(10, "00:00:00.500", "RateLimit:Window must be a whole number of seconds from 00:00:01 to 1.00:00:00.")]
    [InlineData(10, "2.00:00:00", "RateLimit:Window must be a whole number of seconds from 00:00:01 to 1.00:00:00.")]
    public void ADefaultLimitThatCannotWorkIsNamed(int permitLimit, string window, string expected) =>
        Assert.Equal([expected], Failures(new RateLimitOptions { PermitLimit = permitLimit, Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) }));

    [Fact]
    public void TiersAndTokenBudgetsAreCheckedToo()
    {
        var options = new RateLimitOptions
        {
            Tiers = { ["gold"] = new RateLimitTierOptions { PermitLimit = 0, Tokens = new TokenLimitOptions { PermitLimit = 3_000_000_000 } } },
        };

        Assert.Equal(
        [
            "RateLimit:Tiers: each tier's PermitLimit must be at least 1 and its Window a whole number of seconds from 00:00:01 to 1.00:00:00.",
            "RateLimit:Tokens (and each tier's Tokens): PermitLimit must be from 1 to 2147483647 and Window a whole number of seconds from 00:00:01 to 1.00:00:00.",
        ], Failures(options));
    }
}
