using System.Text.Json.Serialization;

namespace NextEleven.Api.Errors;

/// <summary>
/// An error on the OpenAI-compatible surface, in OpenAI's shape (<c>error.message</c>, <c>type</c>,
/// <c>param</c>, <c>code</c>) so OpenAI SDKs show the message; <c>requestId</c> and <c>retryAfter</c>
/// as on every other error.
/// </summary>
internal sealed record OpenAiErrorBody(
    OpenAiErrorDetail Error,
    string RequestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfter = null)
{
    public static OpenAiErrorBody For(int statusCode, string error, string message, string requestId, int? retryAfter) =>
        new(new OpenAiErrorDetail(message, TypeFor(statusCode), FieldNamedIn(message), CodeFor(error)), requestId, retryAfter);

    /// <summary>OpenAI's error type for a status.</summary>
    public static string TypeFor(int statusCode) => statusCode switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary>The contract's error title in snake_case: "Invalid API key" is <c>invalid_api_key</c>.</summary>
    public static string CodeFor(string error) => error.ToLowerInvariant().Replace(' ', '_');

    /// <summary>The field a validation message names: every one starts "Field 'x' …".</summary>
    private static string? FieldNamedIn(string message)
    {
        const string lead = "Field '";
        if (!message.StartsWith(lead, StringComparison.Ordinal))
        {
            return null;
        }
        var end = message.IndexOf('\'', lead.Length);
        return end > lead.Length ? message[lead.Length..end] : null;
    }
}

/// <summary>The <c>error</c> object of <see cref="OpenAiErrorBody"/>; <c>param</c> is written as null when no field is at fault.</summary>
internal sealed record OpenAiErrorDetail(string Message, string Type, string? Param, string Code);
