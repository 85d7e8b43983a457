using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Clients;

/// <summary>
/// At start: the clients file must load whole, and outside Development some key must exist, from
/// <c>NEXTELEVEN_API_KEY</c> or the file, so a deployment missing both fails to start instead of running open.
/// </summary>
internal sealed class ClientsOptionsValidator(IHostEnvironment environment, IOptions<ApiKeyOptions> environmentKeys,
    IOptions<RateLimitOptions> limits, IOptions<ChatProviderOptions> chat) : IValidateOptions<ClientsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientsOptions options)
    {
        var path = options.IsConfigured ? options.FullPath(environment.ContentRootPath) : null;
        var directory = ClientsFileLoader.Load(path, environmentKeys.Value, limits.Value, out var problem,
            chat.Value.UnpricedTargets().FirstOrDefault());
        if (directory is null)
        {
            return ValidateOptionsResult.Fail(problem!);
        }
        if (directory.Keys.Count == 0 && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"{ApiKeyOptions.VariableName} is required outside Development but is not set"
                + (options.IsConfigured ? " and the clients file has no key ('keys create <id>' adds one)." : ".")
                + $" {ApiKeyOptionsValidator.HowToGenerate}");
        }
        return ValidateOptionsResult.Success;
    }
}
