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
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidTokenLimit(TokenLimitOptions tokens) =>
        TokenLimitOptions.IsValidLimit(tokens.PermitLimit) && (tokens.Window is null || RateLimitOptions.IsValidWindow(tokens.Window.Value));
}
