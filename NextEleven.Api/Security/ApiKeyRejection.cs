using NextEleven.Api.Errors;

namespace NextEleven.Api.Security;

/// <summary>The 401 of a request whose key is missing, wrong or expired, in the contract's words.</summary>
internal static class ApiKeyRejection
{
    public const string MissingKeyError = "Authentication required";
    public const string MissingKeyMessage = "Provide API key via X-API-Key header or Authorization: Bearer token";
    public const string InvalidKeyError = "Invalid API key";
    public const string InvalidKeyMessage = "The provided API key is invalid";
    public const string ExpiredKeyMessage = "The provided API key has expired";

    public static ApiErrorResult For(HttpContext context, ApiKeyOutcome outcome)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return outcome switch
        {
            ApiKeyOutcome.Missing => ApiErrors.Unauthorized(MissingKeyError, MissingKeyMessage),
            ApiKeyOutcome.Expired => ApiErrors.Unauthorized(InvalidKeyError, ExpiredKeyMessage),
            _ => ApiErrors.Unauthorized(InvalidKeyError, InvalidKeyMessage),
        };
    }
}
