using Microsoft.Extensions.Options;

namespace NextEleven.Api.Networking;

/// <summary>Refuses a forwarding header the service does not read.</summary>
internal sealed class ForwardingHeaderOptionsValidator : IValidateOptions<ForwardingHeaderOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwardingHeaderOptions options) =>
        options.Canonical is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"ForwardedHeaders:Header must be one of {string.Join(", ", ForwardingHeaderOptions.Supported)}: the one header your proxy sets.");
}
