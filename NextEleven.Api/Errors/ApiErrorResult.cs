namespace NextEleven.Api.Errors;

/// <summary>A typed result for any contract error, so handlers return errors without building JSON themselves.</summary>
internal sealed class ApiErrorResult(
    int statusCode, string? message = null, string? error = null, string? allow = null, int? retryAfter = null)
    : IResult, IStatusCodeHttpResult
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string? Message { get; } = message;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (allow is not null)
        {
            httpContext.Response.Headers.Allow = allow;
        }
        return ApiErrors.WriteAsync(httpContext, StatusCode, Message, error, retryAfter);
    }
}
