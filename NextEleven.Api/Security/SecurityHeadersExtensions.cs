namespace NextEleven.Api.Security;

public static class SecurityHeadersExtensions
{
    /// <summary>
    /// <c>X-Content-Type-Options: nosniff</c> on every response, and <c>Cache-Control: no-store</c> on
    /// every <c>/api</c> response (replies are per client and may be sensitive: no proxy or browser cache
    /// keeps them). Written as the response starts, so error responses get them too.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var httpContext = (HttpContext)state;
                var headers = httpContext.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (httpContext.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
