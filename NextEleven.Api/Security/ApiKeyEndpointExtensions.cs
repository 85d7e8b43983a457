using Microsoft.AspNetCore.Authorization;
using NextEleven.Api.Errors;

namespace NextEleven.Api.Security;

/// <summary>Marks an endpoint as needing the API key, for the OpenAPI document's security requirements.</summary>
internal sealed class RequiresApiKeyMetadata;

internal static class ApiKeyEndpointExtensions
{
    public const string MissingKeyError = "Authentication required";
    public const string MissingKeyMessage = "Provide API key via X-API-Key header or Authorization: Bearer token";
    public const string InvalidKeyError = "Invalid API key";
    public const string InvalidKeyMessage = "The provided API key is invalid";
    public const string ExpiredKeyMessage = "The provided API key has expired";

    /// <summary>
    /// Requires a valid API key on every endpoint of the group except those marked <c>.AllowAnonymous()</c>.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory(static (factoryContext, next) =>
        {
            var authenticator = factoryContext.ApplicationServices.GetRequiredService<ApiKeyAuthenticator>();
            var metrics = factoryContext.ApplicationServices.GetRequiredService<ApiKeyMetrics>();
            // The factory cannot see the endpoint's metadata; the first request can, and the answer never changes.
            bool? isPublic = null;
            return invocationContext =>
            {
                var context = invocationContext.HttpContext;
                isPublic ??= context.GetEndpoint() is { } endpoint && IsPublic(endpoint.Metadata);
                if (isPublic.Value)
                {
                    return next(invocationContext);
                }
                var outcome = authenticator.Authenticate(context).Outcome;
                if (outcome is ApiKeyOutcome.Valid or ApiKeyOutcome.Open)
                {
                    return next(invocationContext);
                }
                metrics.Rejected(outcome);
                return outcome switch
                {
                    ApiKeyOutcome.Missing => Reject(context, MissingKeyError, MissingKeyMessage),
                    ApiKeyOutcome.Expired => Reject(context, InvalidKeyError, ExpiredKeyMessage),
                    _ => Reject(context, InvalidKeyError, InvalidKeyMessage),
                };
            };
        });

        // Finally runs after the endpoint's own conventions, so AllowAnonymous() is visible here.
        builder.Finally(static endpoint =>
        {
            if (!IsPublic(endpoint.Metadata))
            {
                endpoint.Metadata.Add(new RequiresApiKeyMetadata());
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(
                    StatusCodes.Status401Unauthorized, typeof(ApiErrorBody), ["application/json"]));
            }
        });
        return builder;
    }

    /// <summary>An endpoint marked <c>.AllowAnonymous()</c>: the public health check.</summary>
    public static bool IsPublic(IEnumerable<object> metadata) => metadata.OfType<IAllowAnonymous>().Any();

    private static ValueTask<object?> Reject(HttpContext context, string error, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(ApiErrors.Unauthorized(error, message));
    }
}
