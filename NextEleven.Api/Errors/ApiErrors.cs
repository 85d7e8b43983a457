using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace NextEleven.Api.Errors;

/// <summary>
/// The one place that turns a failure into the contract's JSON error body. Handlers, filters,
/// the exception handler and the status-code pages all end here, so every error looks alike.
/// </summary>
internal static class ApiErrors
{
    public static ApiErrorResult BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiErrorResult NotFound() => new(StatusCodes.Status404NotFound);

    public static ApiErrorResult MethodNotAllowed(string allow) =>
        new(StatusCodes.Status405MethodNotAllowed, allow: allow);

    public static ApiErrorResult Unauthorized(string error, string message) =>
        new(StatusCodes.Status401Unauthorized, message, error);

    public static ApiErrorResult Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);

    public static ApiErrorResult PayloadTooLarge(long limitBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {limitBytes} bytes.");

    public static ApiErrorResult UnsupportedMediaType() =>
        new(StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON with 'Content-Type: application/json'.");

    /// <summary>The contract's error title for a status code.</summary>
    public static string TitleFor(int statusCode) => statusCode switch
    {
        400 => "Invalid request",
        401 => "Authentication required",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        408 => "Request timeout",
        413 => "Payload too large",
        415 => "Unsupported media type",
        429 => "Rate limit exceeded",
        431 => "Request header fields too large",
        502 => "Upstream error",
        503 => "Upstream unavailable",
        504 => "Upstream timeout",
        >= 500 => "Internal server error",
        _ => "Request failed",
    };

    /// <summary>A default message for a status code when the caller has nothing more specific.</summary>
    public static string DefaultMessageFor(int statusCode) => statusCode switch
    {
        400 => "The request could not be understood.",
        404 => "No route matches this path.",
        405 => "This route does not accept that method.",
        408 => "The request body was not received in time.",
        413 => "The request body is too large.",
        415 => "Send the body as JSON with 'Content-Type: application/json'.",
        431 => "The request headers are too large.",
        >= 500 => "An unexpected error occurred. Quote the requestId when reporting it.",
        _ => "The request failed.",
    };

    public static Task WriteAsync(HttpContext context, int statusCode, string? message = null, string? error = null,
        int? retryAfter = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        if (retryAfter is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        error ??= TitleFor(statusCode);
        message ??= DefaultMessageFor(statusCode);
        // Small and whole: sent with a Content-Length in one write, not chunked through the JSON stream writer.
        var json = IsOpenAiSurface(context.Request.Path)
            ? JsonSerializer.SerializeToUtf8Bytes(OpenAiErrorBody.For(statusCode, error, message, context.TraceIdentifier, retryAfter),
                ErrorsJsonContext.Relaxed.OpenAiErrorBody)
            : JsonSerializer.SerializeToUtf8Bytes(new ApiErrorBody(error, message, context.TraceIdentifier, retryAfter),
                ErrorsJsonContext.Relaxed.ApiErrorBody);
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, 0, json.Length, CancellationToken.None);
    }

    /// <summary>
    /// <c>/api/v1/**</c> answers errors in OpenAI's shape, so OpenAI SDKs show the message; the status
    /// and headers are the same as everywhere.
    /// </summary>
    public static bool IsOpenAiSurface(PathString path) => path.StartsWithSegments(OpenAiSurfacePath, StringComparison.OrdinalIgnoreCase);

    private static readonly PathString OpenAiSurfacePath = new("/api/v1");

    /// <summary>Fills an empty error response (404/405 from routing, 400 from the server) with the JSON body.</summary>
    public static Task WriteStatusCodePageAsync(HttpContext context) =>
        context.Response.HasStarted ? Task.CompletedTask : WriteAsync(context, context.Response.StatusCode);

    [SuppressMessage("Design", "CA1031", Justification = "Last line of defence: nothing may escape as an HTML page.")]
    public static Task WriteUnhandledExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
        // Kestrel reports oversized or malformed requests as BadHttpRequestException: the client's fault, not ours.
        if (exception is BadHttpRequestException badRequest)
        {
            return WriteAsync(context, badRequest.StatusCode);
        }
        return WriteAsync(context, StatusCodes.Status500InternalServerError);
    }
}
