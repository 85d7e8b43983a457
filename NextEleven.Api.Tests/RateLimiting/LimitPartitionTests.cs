using System.Net;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Tests.RateLimiting;

[Trait("Category", "Unit")]
public sealed class LimitPartitionTests
{
    [Theory]
    [InlineData("198.51.100.7", "ip:198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "ip:198.51.100.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "ip:2001:db8:1:2::/64")]
    public void AnAddressIsNamedForOperatorsAsItsAddressOrItsSlash64(string address, string expected) =>
        Assert.Equal(expected, LimitPartition.FromAddress(IPAddress.Parse(address)).ToString());

    [Fact]
    public void ANamedClientIsNamedByItsIdAndNoAddressByNone()
    {
        Assert.Equal("client:acme-web", LimitPartition.FromClient("acme-web").ToString());
        Assert.Equal(LimitPartition.FromClient("acme-web"), LimitPartition.FromClient("acme-web"));
        Assert.NotEqual(LimitPartition.FromClient("acme-web"), LimitPartition.FromClient("acme-app"));
        Assert.Equal("none", LimitPartition.FromAddress(null).ToString());
    }
}
