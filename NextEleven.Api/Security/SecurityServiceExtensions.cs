using NextEleven.Api.Clients;

namespace NextEleven.Api.Security;

/// <summary>Registers the API-key check.</summary>
internal static class SecurityServiceExtensions
{
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<ApiKeyMetrics>();
        builder.Services.AddHostedService<OpenAccessWarning>();
        return builder;
    }
}
