using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using NextEleven.Api.Errors;

namespace NextEleven.Api.RateLimiting;

internal static class RateLimitEndpointExtensions
{
    /// <summary>
    /// Rate limits every endpoint of the group per client and puts the limit headers on every response,
    /// errors included. Attach it before <c>RequireApiKey()</c>: a request without a valid key must
    /// still be counted (and told its budget) before it is refused.
    /// </summary>
    public static TBuilder RequireClientRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory(static (factoryContext, next) =>
        {
            var limiter = factoryContext.ApplicationServices.GetRequiredService<ClientRateLimiter>();
            bool? isPublic = null;
            return invocationContext =>
            {
                var context = invocationContext.HttpContext;
                isPublic ??= context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var pending = limiter.AcquireAsync(context, isPublic.Value);
                return pending.IsCompletedSuccessfully
                    ? Apply(pending.Result, invocationContext, next)
                    : ApplyWhenDecided(pending, invocationContext, next);
            };
        });
        builder.Finally(static endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(
            StatusCodes.Status429TooManyRequests, typeof(ApiErrorBody), ["application/json"])));
        return builder;
    }

    private static async ValueTask<object?> ApplyWhenDecided(ValueTask<RateLimitDecision> pending,
        EndpointFilterInvocationContext invocationContext, EndpointFilterDelegate next) =>
        await Apply(await pending, invocationContext, next);

    private static ValueTask<object?> Apply(RateLimitDecision decision, EndpointFilterInvocationContext invocationContext,
        EndpointFilterDelegate next)
    {
        var context = invocationContext.HttpContext;
        var response = context.Response;
        // For the request log (it summarises a flood of rejections per client) and for a chat call's token budget.
        context.Features.Set(decision);
        // The framework's request metrics (http.server.request.duration) by client too; present only while something listens.
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>("client", decision.ClientId));
        // Written as the response starts, so the headers survive an exception handler clearing them.
        response.OnStarting(static state =>
        {
            var (response, decision) = ((HttpResponse, RateLimitDecision))state;
            decision.WriteHeaders(response.Headers);
            return Task.CompletedTask;
        }, (response, decision));
        return decision.IsAllowed
            ? next(invocationContext)
            : ValueTask.FromResult<object?>(ApiErrors.TooManyRequests(decision.RejectionMessage(), decision.SecondsUntilReset));
    }
}
