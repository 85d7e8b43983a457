namespace NextEleven.Api.OpenApi;

/// <summary>
/// Says that the endpoint's 200 is JSON (<see cref="JsonType"/>) or, when the client asks for a stream, a
/// <c>text/event-stream</c> of <see cref="EventType"/> events. The generator keeps one media type per
/// status (and a streaming result in the handler's union would otherwise claim the 200 alone); the
/// document transformer writes both, JSON first, so Swagger UI asks for JSON by default.
/// </summary>
internal sealed record ServerSentEventsMetadata(Type JsonType, Type EventType);
