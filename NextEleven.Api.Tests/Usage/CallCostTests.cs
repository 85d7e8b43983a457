using NextEleven.Api.Usage;

namespace NextEleven.Api.Tests.Usage;

/// <summary>The contract's cost formula against values worked out by hand, rounding up to whole micro-dollars.</summary>
[Trait("Category", "Unit")]
public sealed class CallCostTests
{
    private static readonly ModelPrice Grok = new() { Input = 3.00m, Output = 15.00m, CachedInput = 0.75m };

    [Fact]
    public void CachedTokensArePricedAtTheCachedRateAndTheRestAtTheInputRate()
    {
        // (800 × 3 + 200 × 0.75 + 500 × 15) / 10⁶ = (2400 + 150 + 7500) / 10⁶ = 0.01005
        Assert.Equal(0.010050m, CallCost.Of(Grok, inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500));
    }

    [Fact]
    public void APartOfAMicroDollarIsRoundedUpToAWholeOne()
    {
        var cheap = new ModelPrice { Input = 0.10m, Output = 0.40m };

        // (7 × 0.10 + 3 × 0.40) / 10⁶ = 1.9 micro-dollars
        Assert.Equal(0.000002m, CallCost.Of(cheap, 7, 0, 3));
    }

    [Fact]
    public void AWholeMicroDollarIsNotRoundedFurther()
    {
        Assert.Equal(0.000001m, CallCost.Of(new ModelPrice { Input = 1m, Output = 0m }, 1, 0, 0));
    }

    [Fact]
    public void WithoutACachedPriceCachedTokensCostTheInputPrice()
    {
        Assert.Equal(0.000200m, CallCost.Of(new ModelPrice { Input = 2m, Output = 0m }, 100, 50, 0));
    }

    [Fact]
    public void MoreCachedThanInputCountsAsAllInputCachedAndFreeModelsCostNothing()
    {
        Assert.Equal(0m, CallCost.Of(new ModelPrice { Input = 1m, Output = 0m, CachedInput = 0m }, 10, 50, 0));
        Assert.Equal(0m, CallCost.Of(new ModelPrice(), 1_000_000, 0, 1_000_000));
    }

    [Fact]
    public void AMillionTokensEachWayCostTheSumOfThePrices()
    {
        Assert.Equal(18.00m, CallCost.Of(Grok, 1_000_000, 0, 1_000_000));
    }
}
