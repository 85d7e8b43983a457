using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Security;

internal static class SecurityServiceExtensions
{
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ApiKeyMetrics>();
        services.AddSingleton<IRateLimitClientResolver>(provider => provider.GetRequiredService<ApiKeyAuthenticator>());
        services.AddHostedService<OpenAccessWarning>();
        return services;
    }
}

/// <summary>Says loudly, once at start-up, that Development without a key lets everyone in.</summary>
internal sealed partial class OpenAccessWarning(ApiKeyAuthenticator authenticator, ILogger<OpenAccessWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!authenticator.IsEnforced)
        {
            LogOpenAccess(logger, ApiKeyOptions.VariableName);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Variable} is not set: API access is OPEN to anyone (allowed in Development only). Set it to require a key.")]
    private static partial void LogOpenAccess(ILogger logger, string variable);
}
