using Microsoft.Extensions.Options;

namespace NextEleven.Api.Operations;

/// <summary>Refuses a management listener that has no port, or shares one with the public listener (it is told apart by port).</summary>
internal sealed class ManagementOptionsValidator(IConfiguration configuration) : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }
        if (options.Ports is not { Count: > 0 } ports)
        {
            return ValidateOptionsResult.Fail(
                "Management:Urls must be absolute http URLs with a port, such as http://127.0.0.1:9464 or http://+:9464 (several separated by ';').");
        }
        return ManagementOptions.PortsOf(ManagementOptions.PublicUrls(configuration)) is { } publicPorts && ports.Intersect(publicPorts).Any()
            ? ValidateOptionsResult.Fail(
                "Management:Urls must use a port of its own: the public listener (--urls, ASPNETCORE_URLS) uses it too, and /metrics is told apart by port.")
            : ValidateOptionsResult.Success;
    }
}
