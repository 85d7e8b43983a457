using Microsoft.Extensions.Options;

namespace NextEleven.Api.RateLimiting;

/// <summary>Refuses limits that could not work at start, each naming its setting.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    private const string WindowRange = "a whole number of seconds from 00:00:01 to 1.00:00:00";

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        List<string> failures = [];
        if (options.PermitLimit < 1)
        {
            failures.Add("RateLimit:PermitLimit must be at least 1.");
        }
        if (!RateLimitOptions.IsValidWindow(options.Window))
        {
            failures.Add($"RateLimit:Window must be {WindowRange}.");
        }
        if (options.MaxTrackedClients < 1)
        {
            failures.Add("RateLimit:MaxTrackedClients must be at least 1.");
        }
        if (options.Public.PermitLimit < 1)
        {
            failures.Add("RateLimit:Public:PermitLimit must be at least 1.");
        }
        if (!RateLimitOptions.IsValidWindow(options.Public.Window))
        {
            failures.Add($"RateLimit:Public:Window must be {WindowRange}.");
        }
        if (!options.Tiers.Values.All(t => t.PermitLimit is null or >= 1 && (t.Window is null || RateLimitOptions.IsValidWindow(t.Window.Value))))
        {
            failures.Add($"RateLimit:Tiers: each tier's PermitLimit must be at least 1 and its Window {WindowRange}.");
        }
        if (!IsValidTokenLimit(options.Tokens) || !options.Tiers.Values.All(t => t.Tokens is null || IsValidTokenLimit(t.Tokens)))
        {
            failures.Add($"RateLimit:Tokens (and each tier's Tokens): PermitLimit must be from 1 to 2147483647 and Window {WindowRange}.");
        }
        if (!IsValidSpend(options.Spend) || !options.Tiers.Values.All(t => t.Spend is null || IsValidSpend(t.Spend)))
        {
            failures.Add($"RateLimit:Spend (and each tier's Spend): Limit must be USD from 0.000001 to 1000000000 and Window {SpendLimitOptions.WindowRule}.");
        }
        if (options.Spend.AlertAt is < 0.01m or > 1m)
        {
            failures.Add("RateLimit:Spend:AlertAt must be a share of the budget from 0.01 to 1 (0.8 is 80%).");
        }
        if (options.Tiers.Values.Any(t => t.Spend?.AlertAt is not null))
        {
            failures.Add("RateLimit:Tiers: AlertAt is set once, in RateLimit:Spend:AlertAt.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidSpend(SpendLimitOptions spend) =>
        SpendLimitOptions.IsValidLimit(spend.Limit) && (spend.Window is null || SpendLimitOptions.TryParseWindow(spend.Window, out _));

    private static bool IsValidTokenLimit(TokenLimitOptions tokens) =>
        TokenLimitOptions.IsValidLimit(tokens.PermitLimit) && (tokens.Window is null || RateLimitOptions.IsValidWindow(tokens.Window.Value));
}
