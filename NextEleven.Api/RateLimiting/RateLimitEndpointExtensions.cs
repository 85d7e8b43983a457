using NextEleven.Api.Errors;
using NextEleven.Api.Security;

namespace NextEleven.Api.RateLimiting;

public static class RateLimitEndpointExtensions
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
                isPublic ??= context.GetEndpoint() is { } endpoint && ApiKeyEndpointExtensions.IsPublic(endpoint.Metadata);
                var decision = limiter.Acquire(context, isPublic.Value);
                // Written as the response starts, so the headers survive an exception handler clearing them.
                context.Response.OnStarting(static state =>
                {
                    var (response, decision) = ((HttpResponse, RateLimitDecision))state;
                    decision.WriteHeaders(response.Headers);
                    return Task.CompletedTask;
                }, (context.Response, decision));
                return decision.IsAllowed
                    ? next(invocationContext)
                    : ValueTask.FromResult<object?>(ApiErrors.TooManyRequests(decision.RejectionMessage(), decision.SecondsUntilReset));
            };
        });
        builder.Finally(static endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(
            StatusCodes.Status429TooManyRequests, typeof(ApiErrorBody), ["application/json"])));
        return builder;
    }
}
