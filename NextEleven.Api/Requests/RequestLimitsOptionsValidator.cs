using Microsoft.Extensions.Options;

namespace NextEleven.Api.Requests;

/// <summary>Refuses request limits out of their range at start, each naming its setting.</summary>
internal sealed class RequestLimitsOptionsValidator : IValidateOptions<RequestLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestLimitsOptions options)
    {
        List<string> failures = [];
        if (options.MaxRequestBodyBytes is not (>= 1_024 and <= 64 * 1024 * 1024))
        {
            failures.Add("Limits:MaxRequestBodyBytes must be from 1024 to 67108864.");
        }
        if (options.MaxRequestHeadersBytes is not (>= 1_024 and <= 1024 * 1024))
        {
            failures.Add("Limits:MaxRequestHeadersBytes must be from 1024 to 1048576.");
        }
        if (options.MaxMessageLength is not (>= 1 and <= 1_000_000))
        {
            failures.Add("Limits:MaxMessageLength must be from 1 to 1000000.");
        }
        if (options.MaxHistoryMessages is not (>= 0 and <= 10_000))
        {
            failures.Add("Limits:MaxHistoryMessages must be from 0 to 10000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
