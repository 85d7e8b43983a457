using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Security;

/// <summary>Rotating the key without a moment in which clients on either key are refused.</summary>
public sealed class KeyRotationTests
{
    private const string PreviousKey = "nxt-previous-key-0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a";

    [Fact]
    public async Task DuringARotationBothKeysAreAcceptedEachWithItsOwnIdSharingTheClientsBudget()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["NEXTELEVEN_API_KEY_PREVIOUS"] = PreviousKey } };

        using var current = await factory.CreateClient(NextElevenApiFactory.TestApiKey).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        using var previous = await factory.CreateClient(PreviousKey).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        using var containingPrevious = await factory.CreateClient("x" + PreviousKey).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));
        using var wrong = await factory.CreateClient("nxt-some-other-key-00000000000000000000000000").SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(HttpStatusCode.OK, previous.StatusCode);
        // Both keys belong to the client 'default': rotating a key never resets its budget.
        Assert.Equal(99, RateLimitHeaders.From(current).Remaining);
        Assert.Equal(98, RateLimitHeaders.From(previous).Remaining);
        await ApiAssert.Error(containingPrevious, HttpStatusCode.Unauthorized, "Invalid API key");
        await ApiAssert.Error(wrong, HttpStatusCode.Unauthorized, "Invalid API key");
        var currentId = (await factory.Logs.RequestLineAsync(ApiAssert.RequestId(current))).Properties["KeyId"].ToString();
        var previousId = (await factory.Logs.RequestLineAsync(ApiAssert.RequestId(previous))).Properties["KeyId"].ToString();
        Assert.NotEqual(currentId, previousId);
        Assert.Equal("\"default\"", (await factory.Logs.RequestLineAsync(ApiAssert.RequestId(previous))).Properties["ClientId"].ToString());
        Assert.DoesNotContain(PreviousKey, factory.Logs.RenderAll(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnceThePreviousKeyIsRemovedItIsRefused()
    {
        using var factory = new NextElevenApiFactory();

        using var previous = await factory.CreateClient(PreviousKey).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        await ApiAssert.Error(previous, HttpStatusCode.Unauthorized, "Invalid API key");
    }
}
