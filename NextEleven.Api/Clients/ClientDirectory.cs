using System.Collections.Frozen;

namespace NextEleven.Api.Clients;

/// <summary>
/// Every client and key in force, built whole from the environment's key and the clients file, and
/// replaced whole when the file changes: a request sees one consistent set.
/// </summary>
internal sealed class ClientDirectory(FrozenDictionary<KeyDigest, ApiKeyEntry> keys, IReadOnlyList<ApiClient> clients, bool isEnforced)
{
    public static ClientDirectory Open { get; } = new(FrozenDictionary<KeyDigest, ApiKeyEntry>.Empty, [], isEnforced: false);

    /// <summary>Keys by the SHA-256 of the key: finding one costs the same with one key or a hundred thousand.</summary>
    public FrozenDictionary<KeyDigest, ApiKeyEntry> Keys { get; } = keys;

    public IReadOnlyList<ApiClient> Clients { get; } = clients;

    /// <summary>False only in Development with no key anywhere: then every request is let through.</summary>
    public bool IsEnforced { get; } = isEnforced;
}
