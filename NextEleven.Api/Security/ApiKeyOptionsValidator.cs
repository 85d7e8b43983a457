using Microsoft.Extensions.Options;

namespace NextEleven.Api.Security;

/// <summary>
/// Outside Development the service refuses to start without a strong key, so a missing variable in a
/// deployment is a failed start, not an open API. Development may run open (with a warning).
/// </summary>
public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    private const string HowToGenerate =
        "Generate one with 'openssl rand -hex 32' and set it in the environment or in .env.local.";

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var key = options.ApiKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : Fail($"{ApiKeyOptions.VariableName} is required outside Development but is not set.");
        }
        if (ApiKeyOptions.Placeholders.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return Fail($"{ApiKeyOptions.VariableName} is still the example placeholder.");
        }
        if (!environment.IsDevelopment() && key.Length < ApiKeyOptions.MinimumLength)
        {
            return Fail($"{ApiKeyOptions.VariableName} is too short: at least {ApiKeyOptions.MinimumLength} characters are required.");
        }
        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string problem) => ValidateOptionsResult.Fail($"{problem} {HowToGenerate}");
}
