namespace NextEleven.Api.Observability;

public static class RequestIdExtensions
{
    public const string HeaderName = "X-Request-Id";

    /// <summary>
    /// Echoes the server's request id (<see cref="HttpContext.TraceIdentifier"/>, the same id every log
    /// line of the request carries) on every response. Set when the response starts, so it survives the
    /// exception handler clearing the headers.
    /// </summary>
    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var httpContext = (HttpContext)state;
                httpContext.Response.Headers[HeaderName] = httpContext.TraceIdentifier;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
