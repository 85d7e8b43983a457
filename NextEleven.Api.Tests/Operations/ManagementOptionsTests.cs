using Microsoft.Extensions.Configuration;
using NextEleven.Api.Operations;

namespace NextEleven.Api.Tests.Operations;

/// <summary>Listener URLs read for their ports, as the management listener tells connections apart.</summary>
[Trait("Category", "Unit")]
public sealed class ManagementOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9464", new[] { 9464 })]
    [InlineData("http://+:9464", new[] { 9464 })]
    [InlineData("http://*:9464;http://[::1]:9465", new[] { 9464, 9465 })]
    public void EachListenersPortIsRead(string urls, int[] ports) =>
        Assert.Equal(ports, new ManagementOptions { Urls = urls }.Ports);

    [Theory]
    [InlineData("http://127.0.0.1")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("ftp://127.0.0.1:21")]
    public void AUrlWithoutAnExplicitHttpPortIsUnreadable(string urls) =>
        Assert.Null(new ManagementOptions { Urls = urls }.Ports);

    [Fact]
    public void ThePublicUrlsAreThoseTheHostListensOn()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:8080",
            ["urls"] = "http://127.0.0.1:5080;http://127.0.0.1:5081",
        }).Build();

        Assert.Equal(["http://127.0.0.1:5080", "http://127.0.0.1:5081"], ManagementOptions.PublicUrls(configuration));
        Assert.Equal(["http://localhost:5000"], ManagementOptions.PublicUrls(new ConfigurationBuilder().Build()));
    }
}
