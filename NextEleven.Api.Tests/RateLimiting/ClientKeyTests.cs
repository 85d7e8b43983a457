using System.Net;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Tests.RateLimiting;

public sealed class ClientKeyTests
{
    [Theory]
    [InlineData("198.51.100.7", "ip:198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "ip:198.51.100.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "ip:2001:db8:1:2::/64")]
    public void AnAddressIsNamedForOperatorsAsItsAddressOrItsSlash64(string address, string expected) =>
        Assert.Equal(expected, ClientKey.FromAddress(IPAddress.Parse(address)).ToString());

    [Fact]
    public void ANamedClientIsNamedByItsIdAndNoAddressByNone()
    {
        Assert.Equal("client:acme-web", ClientKey.FromClient("acme-web").ToString());
        Assert.Equal(ClientKey.FromClient("acme-web"), ClientKey.FromClient("acme-web"));
        Assert.NotEqual(ClientKey.FromClient("acme-web"), ClientKey.FromClient("acme-app"));
        Assert.Equal("none", ClientKey.FromAddress(null).ToString());
    }
}
