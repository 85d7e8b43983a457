namespace NextEleven.Api.Chat;

/// <summary>What a reply carries besides the chat layer's answer: the request id, when the call started, the provider.</summary>
internal sealed record ReplyContext(string RequestId, DateTimeOffset Started, string Provider)
{
    /// <summary>The OpenAI-shaped id of the reply (<c>chatcmpl-…</c>), made once for all of a stream's chunks.</summary>
    public string CompletionId => field ??= "chatcmpl-" + RequestId.Replace(":", "-", StringComparison.Ordinal);
}
