namespace NextEleven.Api.OpenApi;

internal static class ServerSentEventsMetadataExtensions
{
    public static RouteHandlerBuilder ProducesJsonOrServerSentEvents<TJson, TEvent>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ServerSentEventsMetadata(typeof(TJson), typeof(TEvent)));
}
