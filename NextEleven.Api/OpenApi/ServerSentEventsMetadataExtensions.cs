namespace NextEleven.Api.OpenApi;

/// <summary>Describes an endpoint that answers JSON or Server-Sent Events.</summary>
internal static class ServerSentEventsMetadataExtensions
{
    public static RouteHandlerBuilder ProducesJsonOrServerSentEvents<TJson, TEvent>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ServerSentEventsMetadata(typeof(TJson), typeof(TEvent)));
}
