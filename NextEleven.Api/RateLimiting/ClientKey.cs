using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// A rate-limit partition in 16 bytes, so a million tracked clients stay small. The three kinds cannot
/// collide: an IPv6 client is its /64 (low half zero), an IPv4 client is its IPv4-mapped address
/// (high half zero, low half tagged 0000:ffff), and a key is tagged with an all-ones high half
/// (ffff:ffff:ffff:ffff::/64 is multicast, never a client's address) and a non-zero low half.
/// </summary>
public readonly record struct ClientKey(UInt128 Value)
{
    private const ulong IPv4Tag = 0x0000_FFFF_0000_0000;

    /// <summary>The partition of a request with no valid key: its address, an IPv6 one grouped by /64.</summary>
    public static ClientKey FromAddress(IPAddress? address)
    {
        if (address is null)
        {
            return default; // no address (a test host or a Unix socket): one shared partition
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new ClientKey(new UInt128(0, IPv4Tag | BinaryPrimitives.ReadUInt32BigEndian(bytes)));
        }
        address.TryWriteBytes(bytes, out _);
        return new ClientKey(new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), 0));
    }

    /// <summary>The partition of a validated key, from the digest that also names it in logs (never the key).</summary>
    public static ClientKey FromKeyDigest(ulong keyDigest) => new(new UInt128(ulong.MaxValue, keyDigest | 1));

    public bool IsKey => (ulong)(Value >> 64) == ulong.MaxValue;

    /// <summary>
    /// A readable name for stores an operator may inspect: <c>ip:198.51.100.7</c>, <c>ip:2001:db8:1:2::/64</c>,
    /// <c>key:</c> and the key digest's hex (never the key), or <c>none</c> for a request with no address.
    /// </summary>
    public override string ToString()
    {
        var high = (ulong)(Value >> 64);
        var low = (ulong)Value;
        if (IsKey)
        {
            return "key:" + low.ToString("x16", CultureInfo.InvariantCulture);
        }
        if (high == 0 && low == 0)
        {
            return "none";
        }
        Span<byte> bytes = stackalloc byte[16];
        if (high == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)low);
            return "ip:" + new IPAddress(bytes[..4]);
        }
        BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        return "ip:" + new IPAddress(bytes) + "/64";
    }
}
