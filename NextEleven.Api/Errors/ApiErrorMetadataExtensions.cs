namespace NextEleven.Api.Errors;

/// <summary>Describes an endpoint's error responses in the OpenAPI document.</summary>
internal static class ApiErrorMetadataExtensions
{
    /// <summary>
    /// Documents in OpenAPI that the endpoint can answer with these contract errors: in OpenAI's shape on
    /// the OpenAI-compatible surface, in the contract's flat one elsewhere.
    /// </summary>
    public static TBuilder ProducesApiErrors<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var openAi = endpoint is RouteEndpointBuilder route
                && ApiErrors.IsOpenAiSurface(new PathString("/" + (route.RoutePattern.RawText ?? "").TrimStart('/')));
            foreach (var statusCode in statusCodes)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, openAi ? typeof(OpenAiErrorBody) : typeof(ApiErrorBody),
                    ["application/json"]));
            }
        });
        return builder;
    }
}
