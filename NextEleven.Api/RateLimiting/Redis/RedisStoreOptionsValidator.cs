using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>Refuses a connection string StackExchange.Redis cannot read, before the first request rather than at it.</summary>
public sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        var failures = new List<string>();
        if (options.IsEnabled)
        {
            try
            {
                if (ConfigurationOptions.Parse(options.ConnectionString!).EndPoints.Count == 0)
                {
                    failures.Add("ConnectionStrings:Redis names no server (expected host:port, e.g. localhost:6379).");
                }
            }
            catch (ArgumentException problem)
            {
                // The parser names the offending keyword, never a password's value.
                failures.Add($"ConnectionStrings:Redis is not a valid StackExchange.Redis configuration string: {problem.Message}");
            }
        }
        if (options.KeyPrefix.IndexOfAny(['{', '}']) >= 0 || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add("RateLimit:Redis:KeyPrefix must not contain braces or white space (keys are hash-tagged per client).");
        }
        if (options.Timeout < TimeSpan.FromMilliseconds(1) || options.Timeout > TimeSpan.FromSeconds(10))
        {
            failures.Add("RateLimit:Redis:Timeout must be from 00:00:00.001 to 00:00:10.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
