using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NextEleven.Api.Chat;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;

namespace NextEleven.Api.SystemStatus;

/// <summary>
/// The public health check. It names settings, never their values: no key, no secret. RateLimitStore is
/// <c>memory</c>, <c>redis</c>, or <c>fallback</c> (memory while Redis is unreachable).
/// </summary>
public sealed record EnvStatus(
    string Status,
    string Environment,
    string Version,
    long UptimeSeconds,
    string Auth,
    string RateLimitStore,
    EnvStatusChat Chat);

/// <summary>The chat provider: its name, default model, endpoint host (null for the offline responder), and whether it can answer.</summary>
public sealed record EnvStatusChat(string Provider, string Model, string? EndpointHost, bool Configured);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EnvStatus))]
internal sealed partial class SystemStatusJsonContext : JsonSerializerContext;

public static class EnvStatusEndpoints
{
    private static readonly string Version =
        typeof(EnvStatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    public static RouteGroupBuilder MapSystemStatus(this IEndpointRouteBuilder api)
    {
        var time = api.ServiceProvider.GetRequiredService<TimeProvider>();
        var startedAt = time.GetTimestamp();

        var group = api.MapGroup("/system").WithTags("System");
        Ok<EnvStatus> Handle(IHostEnvironment environment, ApiKeyAuthenticator authenticator, IRateLimitStore store,
            IOptions<ChatProviderOptions> chat) =>
            GetStatus(environment, authenticator, store, chat.Value, time.GetElapsedTime(startedAt));
        group.MapGet("/env-status", Handle)
            .AllowAnonymous()
            .WithName("GetEnvStatus")
            .WithSummary("Health check and environment status (public).");
        // HEAD for load-balancer probes; left out of the document so the operation id stays unique.
        group.MapMethods("/env-status", [HttpMethods.Head], Handle)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return group;
    }

    public static Ok<EnvStatus> GetStatus(
        IHostEnvironment environment, ApiKeyAuthenticator authenticator, IRateLimitStore store, ChatProviderOptions chat,
        TimeSpan uptime)
    {
        return TypedResults.Ok(new EnvStatus(
            "ok",
            environment.EnvironmentName,
            Version,
            (long)uptime.TotalSeconds,
            authenticator.IsEnforced ? "enforced" : "open",
            store.State,
            new EnvStatusChat(
                chat.ProviderLabel,
                chat.Model ?? "unknown",
                chat.IsEcho ? null : chat.Endpoint.Host,
                chat.IsEcho || chat.ApiKey is not null)));
    }

    public static IServiceCollection AddSystemStatus(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, SystemStatusJsonContext.Default));
        return services;
    }
}
