using Microsoft.Extensions.Options;

namespace NextEleven.Api.Security;

/// <summary>Refuses a CORS origin that is not a scheme and host.</summary>
internal sealed class ApiCorsOptionsValidator : IValidateOptions<ApiCorsOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiCorsOptions options) =>
        options.AllowedOrigins.All(IsOrigin)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Cors:AllowedOrigins must list origins such as https://app.example.com (scheme and host, no path).");

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query);
}
