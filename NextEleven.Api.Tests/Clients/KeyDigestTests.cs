using System.Security.Cryptography;
using System.Text;
using NextEleven.Api.Clients;

namespace NextEleven.Api.Tests.Clients;

/// <summary>How a key is stored and named: its SHA-256 digest, never the key. No host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class KeyDigestTests
{
    private const string AbcDigest = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void TheDigestIsSha256OfTheKeysUtf8BytesAsTheFileStoresIt()
    {
        Assert.Equal(AbcDigest, KeyDigest.Of("abc").ToString());
        Assert.Equal("key_ba7816bf8f01", KeyDigest.Of("abc").KeyId);
    }

    [Fact]
    public void AKeyLongerThanTheStackBufferHashesTheSame()
    {
        var key = "nx_" + new string('é', 400);

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), KeyDigest.Of(key).ToString());
    }

    [Fact]
    public void AStoredDigestReadsBackEqualToTheKeysDigest()
    {
        Assert.True(KeyDigest.TryParse(AbcDigest, out var stored));
        Assert.Equal(KeyDigest.Of("abc"), stored);
        Assert.NotEqual(KeyDigest.Of("abd"), stored);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015az")]
    [InlineData("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void AnythingButSha256AndSixtyFourLowercaseHexDigitsIsRefused(string? text) =>
        Assert.False(KeyDigest.TryParse(text, out _));
}
