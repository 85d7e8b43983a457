using System.Net;
using Microsoft.AspNetCore.Http;
using NextEleven.Api.Networking;

namespace NextEleven.Api.Tests.Networking;

/// <summary>The client address from <c>Forwarded</c> and <c>X-Real-IP</c>, believed from trusted peers only: no host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class ForwardedClientAddressTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.9");

    private static bool IsTrusted(IPAddress address) => address.ToString().StartsWith("10.", StringComparison.Ordinal);

    private static IPAddress Forwarded(string value, IPAddress peer) =>
        ForwardedClientAddress.FromForwarded(new HeaderDictionary { ["Forwarded"] = value }, peer, IsTrusted);

    [Theory]
    [InlineData("for=192.0.2.60", "192.0.2.60")]
    [InlineData("for=192.0.2.60:8080;proto=https", "192.0.2.60")]
    [InlineData("for=\"[2001:db8::1]:4711\"", "2001:db8::1")]
    [InlineData("For=\"[2001:db8::1]\"", "2001:db8::1")]
    public void ATrustedProxysEntryNamesTheClient(string header, string client) =>
        Assert.Equal(IPAddress.Parse(client), Forwarded(header, Proxy));

    [Fact]
    public void EntriesAreWalkedBackThroughTrustedHopsOnly()
    {
        // The client wrote its own entry first; the trusted proxies appended theirs after it.
        Assert.Equal(IPAddress.Parse("203.0.113.7"), Forwarded("for=1.2.3.4, for=203.0.113.7, for=10.0.0.9", Proxy));
        Assert.Equal(IPAddress.Parse("203.0.113.7"), Forwarded("for=1.2.3.4, for=203.0.113.7;by=10.0.0.5, for=10.0.0.9", Proxy));
    }

    [Fact]
    public void AnUntrustedPeerOrAnUnknownHopIsNeverBelieved()
    {
        Assert.Equal(Stranger, Forwarded("for=192.0.2.60", Stranger));
        Assert.Equal(IPAddress.Parse("10.0.0.9"), Forwarded("for=192.0.2.60, for=unknown, for=10.0.0.9", Proxy));
        Assert.Equal(Proxy, Forwarded("for=_hidden", Proxy));
        Assert.Equal(Proxy, ForwardedClientAddress.FromForwarded(new HeaderDictionary(), Proxy, IsTrusted));
    }

    [Fact]
    public void XRealIpIsOneAddressFromATrustedProxy()
    {
        static IPAddress RealIp(IPAddress peer, params string[] values) =>
            ForwardedClientAddress.FromRealIp(new HeaderDictionary { ["X-Real-IP"] = values }, peer, IsTrusted);

        Assert.Equal(IPAddress.Parse("192.0.2.60"), RealIp(Proxy, "192.0.2.60"));
        Assert.Equal(Stranger, RealIp(Stranger, "192.0.2.60"));
        Assert.Equal(Proxy, RealIp(Proxy, "192.0.2.60", "192.0.2.61"));
        Assert.Equal(Proxy, RealIp(Proxy, "not-an-address"));
    }
}
