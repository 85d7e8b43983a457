using NextEleven.Api.Clients;

namespace NextEleven.Api.Security;

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
