using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NextEleven.Api.Clients;

/// <summary>
/// The SHA-256 of a key's UTF-8 bytes, as a value: what the clients file stores (<c>sha256:</c> + hex)
/// and what a presented key is looked up by.
/// </summary>
internal readonly record struct KeyDigest(UInt128 High, UInt128 Low)
{
    public const string Prefix = "sha256:";

    public static KeyDigest Of(ReadOnlySpan<char> key)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        HashUtf8(key, digest, static (bytes, output) => SHA256.HashData(bytes, output));
        return FromBytes(digest);
    }

    public delegate void HashFunction(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>
    /// Hashes a key's UTF-8 bytes without a string of them: on the stack when short, else in a pooled
    /// buffer that is wiped before it goes back, so no copy of a key lingers in memory.
    /// </summary>
    public static void HashUtf8(ReadOnlySpan<char> text, Span<byte> digest, HashFunction hash)
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

    /// <summary>Reads <c>sha256:</c> and 64 lowercase hex digits, as the file stores a key.</summary>
    public static bool TryParse(string? text, out KeyDigest digest)
    {
        digest = default;
        if (text is null || text.Length != Prefix.Length + 64 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var hex = text.AsSpan(Prefix.Length);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(hex, bytes, out _, out _);
        digest = FromBytes(bytes);
        return true;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt128BigEndian(bytes[16..], Low);
        return Prefix + Convert.ToHexStringLower(bytes);
    }

    /// <summary>The digest's first 64 bits in hex: enough to name a key in a log without holding the whole.</summary>
    public string LeadingHex => ((ulong)(High >> 64)).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>What a key without a prefix is called in logs and in <c>keys list</c>: <c>key_</c> and 12 hex digits of its digest.</summary>
    public string KeyId => "key_" + LeadingHex[..12];

    private static KeyDigest FromBytes(ReadOnlySpan<byte> digest) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(digest), BinaryPrimitives.ReadUInt128BigEndian(digest[16..]));
}
