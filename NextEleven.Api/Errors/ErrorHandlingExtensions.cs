namespace NextEleven.Api.Errors;

/// <summary>The exception handler and status-code pages that answer every failure in the contract's JSON.</summary>
internal static class ErrorHandlingExtensions
{
    /// <summary>
    /// Unhandled exceptions and bodiless error statuses (routing's 404/405, Kestrel's 400/413/431)
    /// all become the contract's JSON error; nothing answers with an HTML page or a stack trace.
    /// </summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = ApiErrors.WriteUnhandledExceptionAsync,
            // Client faults reported by the server as exceptions are answered, not logged as our bugs.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad
                ? bad.StatusCode
                : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages(context => ApiErrors.WriteStatusCodePageAsync(context.HttpContext));
        return app;
    }
}
