using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Security;

/// <summary>
/// Finds the client a request's key belongs to. The presented key is hashed with SHA-256 and looked up
/// by that digest (<see cref="ClientDirectory.Keys"/>): the raw key is never compared with anything, so
/// no comparison can stop early on a partly right guess, and the cost is the same with one key or a
/// hundred thousand. What a lookup's timing could reveal is about the digest, from which no key can be
/// worked back.
/// </summary>
internal sealed class ApiKeyAuthenticator(ClientRegistry registry, TimeProvider time) : IRateLimitClientResolver
{
    public const string ApiKeyHeader = "X-API-Key";

    private static readonly ClientIdentity OpenIdentity = new(ApiKeyOutcome.Open, "open");
    private static readonly ClientIdentity MissingIdentity = new(ApiKeyOutcome.Missing, "none");
    private static readonly ClientIdentity AmbiguousIdentity = new(ApiKeyOutcome.Ambiguous, "ambiguous");

    // Fingerprints of wrong keys are keyed with a secret that lives only as long as this process, so
    // a log reader can tell one attacker's attempts apart without being able to test guesses offline.
    private readonly byte[] _fingerprintSecret = RandomNumberGenerator.GetBytes(32);

    public bool IsEnforced => registry.Current.IsEnforced;

    /// <summary>The identity of a request, worked out once and kept on the context for later stages.</summary>
    public ClientIdentity Authenticate(HttpContext context)
    {
        var identity = context.Features.Get<ClientIdentity>();
        if (identity is null)
        {
            identity = Authenticate(context.Request.Headers);
            context.Features.Set(identity);
        }
        return identity;
    }

    public IRateLimitClient? Resolve(HttpContext context) => Authenticate(context).Client;

    /// <summary>The identity the headers present, without caching it anywhere.</summary>
    public ClientIdentity Authenticate(IHeaderDictionary headers)
    {
        var directory = registry.Current;
        if (!directory.IsEnforced)
        {
            return OpenIdentity;
        }
        var presented = PresentedKey(headers, out var ambiguous);
        if (ambiguous)
        {
            return AmbiguousIdentity;
        }
        if (presented.IsEmpty)
        {
            return MissingIdentity;
        }
        if (!directory.Keys.TryGetValue(KeyDigest.Of(presented), out var key) || key.Client.Disabled)
        {
            return new ClientIdentity(ApiKeyOutcome.Invalid, key?.KeyId ?? Fingerprint(presented));
        }
        if (key.Expires <= time.GetUtcNow())
        {
            return new ClientIdentity(ApiKeyOutcome.Expired, key.KeyId);
        }
        return new ClientIdentity(ApiKeyOutcome.Valid, key.KeyId, key.Client);
    }

    /// <summary>
    /// <c>X-API-Key</c> first, else <c>Authorization: Bearer</c> (scheme in any case), trimmed. A header
    /// sent twice is ambiguous and never passes: proxies and servers disagree on which copy counts.
    /// </summary>
    private static ReadOnlySpan<char> PresentedKey(IHeaderDictionary headers, out bool ambiguous)
    {
        ambiguous = false;
        var apiKey = headers[ApiKeyHeader];
        if (apiKey.Count > 1)
        {
            ambiguous = true;
            return default;
        }
        var fromApiKey = apiKey.Count == 1 ? apiKey[0].AsSpan().Trim() : default;
        if (!fromApiKey.IsEmpty)
        {
            return fromApiKey;
        }

        var authorization = headers[HeaderNames.Authorization];
        if (authorization.Count > 1)
        {
            ambiguous = true;
            return default;
        }
        var value = authorization.Count == 1 ? authorization[0].AsSpan().Trim() : default;
        const string scheme = "Bearer";
        if (value.Length > scheme.Length
            && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && char.IsWhiteSpace(value[scheme.Length]))
        {
            return value[scheme.Length..].Trim();
        }
        return default;
    }

    private string Fingerprint(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var secret = _fingerprintSecret;
        KeyDigest.HashUtf8(presented, digest, (bytes, output) => HMACSHA256.HashData(secret, bytes, output));
        return "invalid_" + Convert.ToHexStringLower(digest[..4]);
    }
}
