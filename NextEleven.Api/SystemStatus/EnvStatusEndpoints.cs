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
/// The public health check. To anyone: what a load balancer needs (status, environment, version without
/// the build's commit). To a caller with a valid key, also uptime, auth mode, rate-limit store
/// (<c>memory</c>, <c>redis</c>, or <c>fallback</c>: memory while Redis is unreachable) and the chat
/// provider. It names settings, never their values: no key, no secret, no client.
/// </summary>
internal sealed record EnvStatus(
    string Status,
    string Environment,
    string Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UptimeSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Auth = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RateLimitStore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EnvStatusChat? Chat = null);

/// <summary>The chat provider: its name, default model, endpoint host (null for the offline responder), and whether it can answer.</summary>
internal sealed record EnvStatusChat(string Provider, string Model, string? EndpointHost, bool Configured);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EnvStatus))]
internal sealed partial class SystemStatusJsonContext : JsonSerializerContext;

internal static class EnvStatusEndpoints
{
    private static readonly string InformationalVersion =
        typeof(EnvStatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    /// <summary>The version without its <c>+commit</c> build metadata, for callers without a key.</summary>
    private static readonly string PublicVersion = InformationalVersion.Split('+')[0];

    public static RouteGroupBuilder MapSystemStatus(this IEndpointRouteBuilder api)
    {
        var time = api.ServiceProvider.GetRequiredService<TimeProvider>();
        var startedAt = time.GetTimestamp();

        var group = api.MapGroup("/system").WithTags("System");
        Ok<EnvStatus> Handle(HttpContext context, IHostEnvironment environment, ApiKeyAuthenticator authenticator,
            IRateLimitStore store, IOptions<ChatProviderOptions> chat) =>
            authenticator.Authenticate(context).IsAllowed
                ? GetStatus(environment, authenticator, store, chat.Value, time.GetElapsedTime(startedAt))
                : TypedResults.Ok(new EnvStatus("ok", environment.EnvironmentName, PublicVersion));
        group.MapGet("/env-status", Handle)
            .AllowAnonymous()
            .WithName("GetEnvStatus")
            .WithSummary("Health check and environment status (public; more with a valid key).");
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
            InformationalVersion,
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
