using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// A rate-limit partition in 16 bytes (plus a reference), so a million tracked clients stay small. The
/// three kinds cannot collide: an IPv6 client is its /64 (low half zero), an IPv4 client is its
/// IPv4-mapped address (high half zero, low half tagged 0000:ffff), and a named client is tagged with an
/// all-ones high half (ffff:ffff:ffff:ffff::/64 is multicast, never a client's address) and a non-zero
/// low half. Equality is on <see cref="Value"/> alone; <see cref="ClientId"/> only names it.
/// </summary>
internal readonly struct LimitPartition : IEquatable<LimitPartition>
{
    private const ulong IPv4Tag = 0x0000_FFFF_0000_0000;

    private LimitPartition(UInt128 value, string? clientId = null)
    {
        Value = value;
        ClientId = clientId;
    }

    public UInt128 Value { get; }

    /// <summary>The named client's id; null for an address.</summary>
    public string? ClientId { get; }

    public bool IsClient => (ulong)(Value >> 64) == ulong.MaxValue;

    /// <summary>The partition of a request with no valid key: its address, an IPv6 one grouped by /64.</summary>
    public static LimitPartition FromAddress(IPAddress? address)
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
            return new LimitPartition(new UInt128(0, IPv4Tag | BinaryPrimitives.ReadUInt32BigEndian(bytes)));
        }
        address.TryWriteBytes(bytes, out _);
        return new LimitPartition(new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), 0));
    }

    /// <summary>The partition of a named client: all its keys share it, so rotating a key never resets a budget.</summary>
    public static LimitPartition FromClient(string clientId)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("nexteleven-client:" + clientId), digest);
        return new LimitPartition(new UInt128(ulong.MaxValue, BinaryPrimitives.ReadUInt64BigEndian(digest) | 1), clientId);
    }

    /// <summary>
    /// A readable name for stores an operator may inspect: <c>client:acme-web</c>, <c>ip:198.51.100.7</c>,
    /// <c>ip:2001:db8:1:2::/64</c>, or <c>none</c> for a request with no address.
    /// </summary>
    public override string ToString()
    {
        if (ClientId is not null)
        {
            return "client:" + ClientId;
        }
        var high = (ulong)(Value >> 64);
        var low = (ulong)Value;
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

    public bool Equals(LimitPartition other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is LimitPartition other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public static bool operator ==(LimitPartition left, LimitPartition right) => left.Equals(right);

    public static bool operator !=(LimitPartition left, LimitPartition right) => !left.Equals(right);
}
