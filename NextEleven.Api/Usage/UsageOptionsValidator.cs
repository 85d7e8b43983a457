using Microsoft.Extensions.Options;

namespace NextEleven.Api.Usage;

/// <summary>Refuses a ledger setting that cannot work, naming it.</summary>
internal sealed class UsageOptionsValidator : IValidateOptions<UsageOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Database))
        {
            failures.Add("Usage:Database must name the ledger's SQLite file (default usage.db).");
        }
        if (options.Retention < TimeSpan.FromDays(1) || options.Retention > TimeSpan.FromDays(3660))
        {
            failures.Add("Usage:Retention must be from 1.00:00:00 to 3660.00:00:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
