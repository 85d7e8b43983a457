using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Budgets;

/// <summary>
/// A spend budget needs a price for every target a call can go to, or a call's worst case is unknown: at
/// start, <c>RateLimit:Spend</c> or a tier's spend budget while a routable target has no price is a
/// refusal naming the target. A client's own spend budget is checked where the clients file is read, at
/// start and at each reload.
/// </summary>
internal sealed class SpendPricesValidator(IOptions<RateLimitOptions> limits) : IValidateOptions<ChatProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatProviderOptions options)
    {
        if (BudgetSetBy() is not { } setting || options.UnpricedTargets().FirstOrDefault() is not { } unpriced)
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(
            $"{setting} sets a spend budget, but target {unpriced} has no price: set Chat:Prices:{unpriced} (or Chat:Prices:{ChatRoutes.Split(unpriced).Model}) in USD per million tokens.");
    }

    /// <summary>The first setting that gives some caller a spend budget, or null.</summary>
    private string? BudgetSetBy()
    {
        var rateLimit = limits.Value;
        if (rateLimit.Spend.Limit is not null)
        {
            return "RateLimit:Spend:Limit";
        }
        if (rateLimit.Tiers.FirstOrDefault(tier => tier.Value.Spend?.Limit is not null) is { Key: { } tier })
        {
            return $"RateLimit:Tiers:{tier}:Spend:Limit";
        }
        return null;
    }
}
