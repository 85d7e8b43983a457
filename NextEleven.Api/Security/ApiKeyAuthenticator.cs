using System.Net;
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
internal sealed class ApiKeyAuthenticator(ClientRegistry registry, TimeProvider time)
{
    public const string ApiKeyHeader = "X-API-Key";

    // Fingerprints of wrong keys are keyed with a secret that lives only as long as this process, so
    // a log reader can tell one attacker's attempts apart without being able to test guesses offline.
    private readonly byte[] _fingerprintSecret = RandomNumberGenerator.GetBytes(32);

    public bool IsEnforced => registry.Current.IsEnforced;

    /// <summary>The caller of a request: its client when the key is valid, else its address.</summary>
    public Caller Identify(HttpContext context) => Identify(context.Request.Headers, context.Connection.RemoteIpAddress);

    /// <summary>The caller the headers present, from <paramref name="address"/>.</summary>
    public Caller Identify(IHeaderDictionary headers, IPAddress? address)
    {
        var directory = registry.Current;
        if (!directory.IsEnforced)
        {
            return new Caller(ApiKeyOutcome.Open, "open", null, LimitPartition.FromAddress(address));
        }
        var presented = PresentedKey(headers, out var ambiguous);
        if (ambiguous)
        {
            return new Caller(ApiKeyOutcome.Ambiguous, "ambiguous", null, LimitPartition.FromAddress(address));
        }
        if (presented.IsEmpty)
        {
            return new Caller(ApiKeyOutcome.Missing, "none", null, LimitPartition.FromAddress(address));
        }
        if (!directory.Keys.TryGetValue(KeyDigest.Of(presented), out var key) || key.Client.Disabled)
        {
            return new Caller(ApiKeyOutcome.Invalid, key?.KeyId ?? Fingerprint(presented), null, LimitPartition.FromAddress(address));
        }
        if (key.Expires <= time.GetUtcNow())
        {
            return new Caller(ApiKeyOutcome.Expired, key.KeyId, null, LimitPartition.FromAddress(address));
        }
        return new Caller(ApiKeyOutcome.Valid, key.KeyId, key.Client, key.Client.Partition);
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
