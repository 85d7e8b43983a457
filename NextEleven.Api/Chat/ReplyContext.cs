namespace NextEleven.Api.Chat;

/// <summary>What a reply carries besides the chat layer's answer: the request id, when the call started, the provider.</summary>
internal sealed record ReplyContext(string RequestId, DateTimeOffset Started, string Provider);
