using Microsoft.Extensions.Options;

namespace NextEleven.Api.Networking;

/// <summary>Refuses a trusted proxy that is neither an address nor a network.</summary>
internal sealed class TrustedProxiesOptionsValidator : IValidateOptions<TrustedProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxiesOptions options) =>
        options.Entries.All(e => TrustedProxiesOptions.Parse(e) is not null)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("TrustedProxies must list IP addresses or CIDR networks (for example 10.0.0.0/8 or 192.0.2.7).");
}
