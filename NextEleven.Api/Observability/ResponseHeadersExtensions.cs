namespace NextEleven.Api.Observability;

/// <summary>The headers every response carries: the request id, no-sniff, and no-store on /api.</summary>
internal static class ResponseHeadersExtensions
{
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>
    /// The headers every response carries, written in one callback as the response starts (so they
    /// survive the exception handler clearing the headers):
    /// <list type="bullet">
    /// <item><c>X-Request-Id</c>: the server's request id (<see cref="HttpContext.TraceIdentifier"/>), the
    /// same id every log line of the request and every error body carries;</item>
    /// <item><c>X-Content-Type-Options: nosniff</c>;</item>
    /// <item><c>Cache-Control: no-store</c> on <c>/api</c>: replies are per client and may be sensitive, so
    /// no proxy or browser cache keeps them.</item>
    /// </list>
    /// </summary>
    public static IApplicationBuilder UseStandardResponseHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var httpContext = (HttpContext)state;
                var headers = httpContext.Response.Headers;
                headers[RequestIdHeader] = httpContext.TraceIdentifier;
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
