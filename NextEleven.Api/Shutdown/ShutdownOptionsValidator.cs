using Microsoft.Extensions.Options;

namespace NextEleven.Api.Shutdown;

/// <summary>Refuses shutdown times out of their range at start.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        List<string> failures = [];
        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Shutdown:DrainTimeout must be from 00:00:00 to 00:10:00.");
        }
        if (options.ReadinessDelay is { } delay && (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(5)))
        {
            failures.Add("Shutdown:ReadinessDelay must be from 00:00:00 to 00:05:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
