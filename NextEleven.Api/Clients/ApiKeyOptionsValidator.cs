using Microsoft.Extensions.Options;

namespace NextEleven.Api.Clients;

/// <summary>
/// Outside Development a key set in the environment must be strong. Whether some key is set at all
/// (here or in the clients file) is the clients' check (<c>ClientsOptionsValidator</c>), since either
/// source will do.
/// </summary>
internal sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    public const string HowToGenerate =
        "Generate one with 'openssl rand -hex 32' and set it in the environment or in .env.local.";

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var current = Validate(ApiKeyOptions.VariableName, options.ApiKey);
        if (current.Failed || string.IsNullOrWhiteSpace(options.PreviousApiKey))
        {
            return current;
        }
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return Fail($"{ApiKeyOptions.PreviousVariableName} is set but {ApiKeyOptions.VariableName} is not: set the new key there.");
        }
        if (string.Equals(options.ApiKey.Trim(), options.PreviousApiKey.Trim(), StringComparison.Ordinal))
        {
            return Fail($"{ApiKeyOptions.PreviousVariableName} is the same as {ApiKeyOptions.VariableName}.");
        }
        return Validate(ApiKeyOptions.PreviousVariableName, options.PreviousApiKey);
    }

    private ValidateOptionsResult Validate(string variable, string? value)
    {
        var key = value?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return ValidateOptionsResult.Success;
        }
        if (ApiKeyOptions.Placeholders.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return Fail($"{variable} is still the example placeholder.");
        }
        if (!environment.IsDevelopment() && key.Length < ApiKeyOptions.MinimumLength)
        {
            return Fail($"{variable} is too short: at least {ApiKeyOptions.MinimumLength} characters are required.");
        }
        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string problem) => ValidateOptionsResult.Fail($"{problem} {HowToGenerate}");
}
