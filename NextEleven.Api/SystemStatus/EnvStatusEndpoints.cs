using System.Reflection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;

namespace NextEleven.Api.SystemStatus;

/// <summary><c>GET /api/system/env-status</c>, the public health and environment check.</summary>
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
            IRateLimitStore store, IOptions<ChatProviderOptions> chat, ChatRoutes routes) =>
            context.Features.GetRequiredFeature<Caller>().HasAccess
                ? GetStatus(environment, authenticator, store, chat.Value, routes, time.GetElapsedTime(startedAt))
                : TypedResults.Ok(new EnvStatus("ok", environment.EnvironmentName, PublicVersion));
        group.MapGet("/env-status", Handle)
            .AllowAnonymous()
            .WithPublicRateLimit()
            .WithName("GetEnvStatus")
            .WithSummary("Health check and environment status (public; more with a valid key).");
        // HEAD for load-balancer probes; left out of the document so the operation id stays unique.
        group.MapMethods("/env-status", [HttpMethods.Head], Handle)
            .AllowAnonymous()
            .WithPublicRateLimit()
            .ExcludeFromDescription();
        return group;
    }

    public static Ok<EnvStatus> GetStatus(IHostEnvironment environment, ApiKeyAuthenticator authenticator, IRateLimitStore store,
        ChatProviderOptions chat, ChatRoutes routes, TimeSpan uptime)
    {
        var first = routes.For(chat.Model!)[0];
        return TypedResults.Ok(new EnvStatus(
            "ok",
            environment.EnvironmentName,
            InformationalVersion,
            (long)uptime.TotalSeconds,
            authenticator.IsEnforced ? "enforced" : "open",
            store.State,
            new EnvStatusChat(
                first.Provider,
                chat.Model ?? "unknown",
                first.EndpointHost,
                chat.HasNamedProviders || chat.IsEcho || chat.ApiKey is not null,
                [.. routes.Targets.GroupBy(t => t.Provider, StringComparer.Ordinal).Select(provider => new EnvStatusProvider(
                    provider.Key, provider.First().EndpointHost,
                    provider.ToDictionary(t => t.Name, t => BreakerStates.Name(t.Breaker.State), StringComparer.Ordinal)))])));
    }

    public static IHostApplicationBuilder AddSystemStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, SystemStatusJsonContext.Default));
        return builder;
    }
}
