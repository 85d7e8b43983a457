using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace NextEleven.Api.Security;

/// <summary>
/// Checks the key a request presents against <c>NEXTELEVEN_API_KEY</c> (and, during a rotation,
/// <c>NEXTELEVEN_API_KEY_PREVIOUS</c>). Both sides are hashed and the digests compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, against every configured key without stopping
/// at a match, so the time taken tells an attacker nothing about how much of a guess was right, nor the
/// key's length.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    public const string ApiKeyHeader = "X-API-Key";

    private static readonly ClientIdentity OpenIdentity = new(ApiKeyOutcome.Open, "open");
    private static readonly ClientIdentity MissingIdentity = new(ApiKeyOutcome.Missing, "none");

    private readonly (byte[] Hash, ClientIdentity Identity)[] _keys;
    // Fingerprints of wrong keys are keyed with a secret that lives only as long as this process, so
    // a log reader can tell one attacker's attempts apart without being able to test guesses offline.
    private readonly byte[] _fingerprintSecret = RandomNumberGenerator.GetBytes(32);

    public ApiKeyAuthenticator(IOptions<ApiKeyOptions> options)
    {
        _keys = [.. new[] { options.Value.ApiKey, options.Value.PreviousApiKey }
            .Select(key => key?.Trim())
            .Where(key => !string.IsNullOrEmpty(key))
            .Select(key =>
            {
                var digest = KeyIdDigest(key!);
                return (SHA256.HashData(Encoding.UTF8.GetBytes(key!)), new ClientIdentity(ApiKeyOutcome.Valid,
                    "key_" + Convert.ToHexStringLower(digest.AsSpan(0, 6)), BinaryPrimitives.ReadUInt64BigEndian(digest)));
            })];
    }

    public bool IsEnforced => _keys.Length > 0;

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

    /// <summary>The identity the headers present, without caching it anywhere.</summary>
    public ClientIdentity Authenticate(IHeaderDictionary headers)
    {
        if (_keys.Length == 0)
        {
            return OpenIdentity;
        }
        var presented = PresentedKey(headers, out var ambiguous);
        if (ambiguous)
        {
            return new ClientIdentity(ApiKeyOutcome.Invalid, "ambiguous");
        }
        if (presented.IsEmpty)
        {
            return MissingIdentity;
        }
        return Match(presented) ?? new ClientIdentity(ApiKeyOutcome.Invalid, Fingerprint(presented));
    }

    /// <summary>
    /// A stable, non-reversible digest of a key, from which its public name (key id) and its rate-limit
    /// partition are taken; domain-separated from the comparison hash.
    /// </summary>
    private static byte[] KeyIdDigest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes("nexteleven-key-id:" + key));

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

    private ClientIdentity? Match(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        HashUtf8(presented, digest, static (bytes, output) => SHA256.HashData(bytes, output));
        ClientIdentity? match = null;
        foreach (var (hash, identity) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, hash))
            {
                match = identity;
            }
        }
        return match;
    }

    private string Fingerprint(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var secret = _fingerprintSecret;
        HashUtf8(presented, digest, (bytes, output) => HMACSHA256.HashData(secret, bytes, output));
        return "invalid_" + Convert.ToHexStringLower(digest[..4]);
    }

    private delegate void HashFunction(ReadOnlySpan<byte> source, Span<byte> destination);

    private static void HashUtf8(ReadOnlySpan<char> text, Span<byte> digest, HashFunction hash)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        var buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            hash(buffer[..written], digest);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
