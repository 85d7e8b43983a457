using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;

namespace NextEleven.Api.Gateway;

/// <summary>
/// The gate of every <c>/api</c> endpoint, three endpoint filters in one direction: the caller is
/// identified once (its client from a valid key, else its address) and kept as a request feature; the
/// limit is decided from it; then a request without a valid key is refused with a 401, after the
/// decision, so that guessing keys is limited too and every refusal carries the limit headers.
/// </summary>
internal static class ApiGateExtensions
{
    public static TBuilder RequireApiKeyAndRateLimit<TBuilder>(this TBuilder api) where TBuilder : IEndpointConventionBuilder
    {
        // Each filter is built per endpoint from that endpoint's metadata; the factories run once the
        // endpoint's own conventions (AllowAnonymous(), WithPublicRateLimit()) have added theirs.
        api.Add(static endpoint =>
        {
            endpoint.FilterFactories.Add((factory, next) => IdentifyCaller(factory.ApplicationServices, next));
            endpoint.FilterFactories.Add((factory, next) => DecideLimit(factory.ApplicationServices, endpoint.Metadata, next));
            endpoint.FilterFactories.Add((factory, next) => RequireKey(factory.ApplicationServices, endpoint.Metadata, next));
        });
        api.Finally(static endpoint =>
        {
            endpoint.Metadata.Add(LimitRejection.Metadata);
            if (!IsPublic(endpoint.Metadata))
            {
                endpoint.Metadata.Add(new RequiresApiKeyMetadata());
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(
                    StatusCodes.Status401Unauthorized, typeof(ApiErrorBody), ["application/json"]));
            }
        });
        return api;
    }

    private static EndpointFilterDelegate IdentifyCaller(IServiceProvider services, EndpointFilterDelegate next)
    {
        var authenticator = services.GetRequiredService<ApiKeyAuthenticator>();
        return invocation =>
        {
            invocation.HttpContext.Features.Set(authenticator.Identify(invocation.HttpContext));
            return next(invocation);
        };
    }

    private static EndpointFilterDelegate DecideLimit(IServiceProvider services, IList<object> metadata, EndpointFilterDelegate next)
    {
        var limiter = services.GetRequiredService<ClientRateLimiter>();
        var drawsOnPublicPolicy = metadata.OfType<PublicRateLimitMetadata>().Any();
        return invocation =>
        {
            var context = invocation.HttpContext;
            var caller = context.Features.GetRequiredFeature<Caller>();
            var pending = drawsOnPublicPolicy
                ? limiter.AcquireAsync(limiter.Public, LimitPartition.FromAddress(context.Connection.RemoteIpAddress))
                : limiter.AcquireAsync(caller.Client?.Policy ?? limiter.Default, caller.Partition);
            return pending.IsCompletedSuccessfully
                ? Apply(pending.Result, invocation, next)
                : ApplyWhenDecided(pending, invocation, next);
        };
    }

    private static async ValueTask<object?> ApplyWhenDecided(ValueTask<RateLimitDecision> pending,
        EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        await Apply(await pending, invocation, next);

    private static ValueTask<object?> Apply(RateLimitDecision decision, EndpointFilterInvocationContext invocation,
        EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        LimitResults.Record(context, decision);
        // The framework's request metrics (http.server.request.duration) by client too; present only while something listens.
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>("client", decision.ClientId));
        return decision.IsAllowed ? next(invocation) : ValueTask.FromResult<object?>(LimitRejection.For(decision));
    }

    private static EndpointFilterDelegate RequireKey(IServiceProvider services, IList<object> metadata, EndpointFilterDelegate next)
    {
        if (IsPublic(metadata))
        {
            return next;
        }
        var metrics = services.GetRequiredService<ApiKeyMetrics>();
        return invocation =>
        {
            var context = invocation.HttpContext;
            var caller = context.Features.GetRequiredFeature<Caller>();
            if (caller.HasAccess)
            {
                return next(invocation);
            }
            metrics.Rejected(caller.KeyOutcome);
            return ValueTask.FromResult<object?>(ApiKeyRejection.For(context, caller.KeyOutcome));
        };
    }

    /// <summary>An endpoint marked <c>.AllowAnonymous()</c> (the public health check) needs no key.</summary>
    private static bool IsPublic(IEnumerable<object> metadata) => metadata.OfType<IAllowAnonymous>().Any();
}
