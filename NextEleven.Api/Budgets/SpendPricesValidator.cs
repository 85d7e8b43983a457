using Microsoft.Extensions.Options;
using NextEleven.Api.Clients;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Budgets;

/// <summary>
/// A spend budget needs a price for every target a call can go to, or a call's worst case is unknown: at
/// start, a spend budget (<c>RateLimit:Spend</c>, a tier's, or a client's in the clients file) while a
/// routable target has no price is a refusal naming the target. A clients file reloaded later with a
/// client's own spend budget is not refused for it; such a call is charged its whole reservation.
/// </summary>
internal sealed class SpendPricesValidator(IOptions<RateLimitOptions> limits, IOptions<ClientsOptions> clients, IHostEnvironment environment)
    : IValidateOptions<ChatProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatProviderOptions options)
    {
        // Prices first: the clients file is read again only when some target has none.
        if (options.UnpricedTargets().FirstOrDefault() is not { } unpriced || BudgetSetBy() is not { } setting)
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
        if (!clients.Value.IsConfigured || !File.Exists(clients.Value.FullPath(environment.ContentRootPath)))
        {
            return null;
        }
        // A file that does not read is the clients validator's to report.
        var file = ClientsFileLoader.Read(clients.Value.FullPath(environment.ContentRootPath), out _);
        return file?.Clients.FirstOrDefault(client => client?.Limits?.Spend?.Limit is not null) is { Id: var id }
            ? $"Client '{id}' of the clients file (limits.spend)"
            : null;
    }
}
