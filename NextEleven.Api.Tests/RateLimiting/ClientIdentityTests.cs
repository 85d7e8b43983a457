using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>Whose budget a request spends: a valid key's, else the address's, and never a fresh one on request.</summary>
public sealed class ClientIdentityTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;
    private const string Peer = NextElevenApiFactory.PeerAddressHeader;

    [Fact]
    public async Task MissingAndMadeUpKeysDrawOnTheAddressBudgetAndCarryTheHeaders()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "3" } };
        var client = factory.CreateClient();
        var remaining = new List<int>();
        foreach (var madeUpKey in new[] { "guess-1", null, "guess-2" })
        {
            using var response = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}""", madeUpKey), "198.51.100.7"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            remaining.Add(RateLimitHeaders.From(response).Remaining);
        }

        using var anotherGuess = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}""", "guess-3"), "198.51.100.7"));
        using var otherAddress = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}""", "guess-4"), "198.51.100.8"));
        using var validKey = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}""", Key), "198.51.100.7"));

        Assert.Equal([2, 1, 0], remaining);
        await ApiAssert.Error(anotherGuess, HttpStatusCode.TooManyRequests, "Rate limit exceeded");
        Assert.Equal(HttpStatusCode.Unauthorized, otherAddress.StatusCode);
        Assert.Equal(2, RateLimitHeaders.From(otherAddress).Remaining);
        Assert.Equal(HttpStatusCode.OK, validKey.StatusCode);
        Assert.Equal(2, RateLimitHeaders.From(validKey).Remaining);
    }

    [Fact]
    public async Task AValidKeyHasOneBudgetWhateverAddressItComesFrom()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "2" } };
        var client = factory.CreateClient(Key);

        using var first = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "203.0.113.1"));
        using var second = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "2001:db8::1"));
        using var third = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "203.0.113.2"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(0, RateLimitHeaders.From(second).Remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-Real-IP")]
    [InlineData("Forwarded")]
    public async Task ForwardingHeadersFromAnUntrustedPeerGetNoFreshBudget(string header)
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "2" } };
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        foreach (var spoofed in new[] { "1.1.1.1", "2.2.2.2", "3.3.3.3" })
        {
            var request = WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "198.51.100.7");
            request.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? $"for={spoofed}" : spoofed);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindATrustedProxyEachForwardedClientHasItsOwnBudget()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "1", ["TrustedProxies:0"] = "10.0.0.0/8", ["TrustedProxies:1"] = "192.0.2.50" },
        };
        var client = factory.CreateClient();

        async Task<HttpStatusCode> Send(string peer, string forwardedFor)
        {
            var request = WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), peer);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send("10.1.2.3", "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("10.9.9.9", "203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("10.1.2.3", "203.0.113.2"));
        // Two trusted hops: the client is the first address that is not a trusted proxy.
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("192.0.2.50", "203.0.113.3, 10.4.4.4"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("10.1.2.3", "203.0.113.3"));
        // A client cannot slip its own entry in front of the proxy's: the proxy appends the real one.
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("10.1.2.3", "198.18.0.1, 203.0.113.1"));
        // A peer that is not a trusted proxy is the client, whatever it claims.
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("198.51.100.7", "203.0.113.50"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("198.51.100.7", "203.0.113.51"));
    }

    [Theory]
    [InlineData("Forwarded", "for=203.0.113.1", "for=\"203.0.113.1:4711\";proto=https")]
    [InlineData("Forwarded", "for=\"[2001:db8:cafe::17]:4711\"", "For=\"[2001:db8:cafe::99]\"")]
    [InlineData("Forwarded", "for=198.18.0.1, for=203.0.113.1", "for=203.0.113.1")]
    [InlineData("X-Real-IP", "203.0.113.1", "203.0.113.1")]
    public async Task TrustedProxiesMayUseForwardedOrXRealIpInstead(string header, string first, string sameClient)
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "1", ["TrustedProxies:0"] = "10.0.0.0/8", ["ForwardedHeaders:Header"] = header },
        };
        var client = factory.CreateClient();

        async Task<HttpStatusCode> Send(string peer, string value)
        {
            var request = WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), peer);
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send("10.0.0.1", first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("10.0.0.2", sameClient));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("10.0.0.1", header == "Forwarded" ? "for=192.0.2.77" : "192.0.2.77"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("198.51.100.7", first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("198.51.100.7", header == "Forwarded" ? "for=192.0.2.78" : "192.0.2.78"));
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-Real-IP")]
    [InlineData("Forwarded")]
    public async Task OnlyTheConfiguredHeaderIsReadEvenFromATrustedProxy(string configured)
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "1", ["TrustedProxies:0"] = "10.0.0.0/8", ["ForwardedHeaders:Header"] = configured },
        };
        var client = factory.CreateClient();

        // The proxy sets the configured header to the same client; the other two change on every request,
        // as a client's own values passed through untouched would.
        async Task<HttpStatusCode> Send(int attempt)
        {
            var request = WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "10.0.0.1");
            foreach (var header in new[] { "X-Forwarded-For", "X-Real-IP", "Forwarded" })
            {
                var address = header == configured ? "192.0.2.50" : $"203.0.113.{attempt}";
                request.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? $"for={address}" : address);
            }
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send(2));
    }

    [Fact]
    public async Task TrustedProxiesAlsoTakeACommaSeparatedList()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "1", ["TrustedProxies"] = "192.0.2.60, 10.0.0.0/8" },
        };
        var client = factory.CreateClient();
        var first = WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "192.0.2.60");
        first.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.1");
        var second = WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), "192.0.2.60");
        second.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.2");

        using var firstResponse = await client.SendAsync(first);
        using var secondResponse = await client.SendAsync(second);

        Assert.Equal(HttpStatusCode.Unauthorized, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, secondResponse.StatusCode);
    }

    [Fact]
    public async Task IPv6ClientsAreGroupedByTheirSlash64()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "1" } };
        var client = factory.CreateClient();

        async Task<HttpStatusCode> Send(string peer)
        {
            using var response = await client.SendAsync(WithPeer(HttpRequests.Chat("""{"message":"Hi"}"""), peer));
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send("2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("2001:db8:1:3::1"));
        // An IPv4 client seen through a dual-stack socket is the same IPv4 client.
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("203.0.113.9"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send("::ffff:203.0.113.9"));
    }

    [Fact]
    public async Task ThePublicHealthCheckHasItsOwnPerAddressPolicy()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "1", ["RateLimit:Public:PermitLimit"] = "3" },
        };
        var client = factory.CreateClient(Key);
        (await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync("/api/system/env-status");
            statuses.Add(last.StatusCode);
        }

        using var otherProbe = await client.SendAsync(WithPeer(new HttpRequestMessage(HttpMethod.Get, "/api/system/env-status"), "192.0.2.99"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var body = await ApiAssert.Error(last!, HttpStatusCode.TooManyRequests, "Rate limit exceeded");
        Assert.Contains("Limit: 3 requests per minute.", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("\"public\";q=3;w=60", RateLimitHeaders.From(last!).Policy);
        Assert.Equal(HttpStatusCode.OK, otherProbe.StatusCode);
        Assert.Equal(2, RateLimitHeaders.From(otherProbe).Remaining);
        last!.Dispose();
    }

    [Fact]
    public async Task DefaultPublicPolicyIsSixtyPerMinute()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient().GetAsync("/api/system/env-status");

        var headers = RateLimitHeaders.From(response);
        Assert.Equal(60, headers.Limit);
        Assert.Equal(59, headers.Remaining);
        Assert.Equal("\"public\";q=60;w=60", headers.Policy);
        Assert.Equal("2026-01-14T17:01:00.000Z", headers.ResetText);
    }

    private static HttpRequestMessage WithPeer(HttpRequestMessage request, string peer)
    {
        request.Headers.Add(Peer, peer);
        return request;
    }
}
