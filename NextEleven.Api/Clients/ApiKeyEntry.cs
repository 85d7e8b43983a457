namespace NextEleven.Api.Clients;

/// <summary>One key of a client, as the directory knows it: never the key, only whom it belongs to.</summary>
/// <param name="KeyId">A name for the key that is safe to log: its prefix (<c>nx_4Fq2</c>), or a digest's.</param>
internal sealed record ApiKeyEntry(ApiClient Client, string KeyId, DateTimeOffset? Expires);
