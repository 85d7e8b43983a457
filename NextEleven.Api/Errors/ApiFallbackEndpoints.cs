using Microsoft.AspNetCore.Routing.Template;

namespace NextEleven.Api.Errors;

/// <summary>
/// Catches every <c>/api/**</c> request that no route takes. Because it sits inside the <c>/api</c>
/// group it passes the group's filters first: without a valid key an unknown path is a 401, so
/// nobody can map the API without one. With a key it answers 404, or 405 with <c>Allow</c> when the
/// path exists under another method (routing would otherwise answer 404 for those, since a catch-all
/// accepts every method), or 415 when only the content type was wrong.
/// </summary>
internal static class ApiFallbackEndpoints
{
    public static RouteHandlerBuilder MapApiFallback(this RouteGroupBuilder api) =>
        api.MapFallback("{**path}", (HttpContext context, RouteMethodIndex routes) =>
            {
                var allowed = routes.MethodsFor(context.Request.Path);
                if (allowed is null)
                {
                    return ApiErrors.NotFound();
                }
                // Path and method match, so routing turned the request down for its content type
                // (the route's Accepts metadata): that is a 415, not a 405.
                return allowed.Split(", ").Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
                    ? ApiErrors.UnsupportedMediaType()
                    : ApiErrors.MethodNotAllowed(allowed);
            })
            .ExcludeFromDescription();
}
