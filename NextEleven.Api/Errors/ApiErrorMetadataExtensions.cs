namespace NextEleven.Api.Errors;

public static class ApiErrorMetadataExtensions
{
    /// <summary>Documents in OpenAPI that the endpoint can answer with these contract errors.</summary>
    public static TBuilder ProducesApiErrors<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ApiErrorBody), ["application/json"]));
        }
        return builder;
    }
}
