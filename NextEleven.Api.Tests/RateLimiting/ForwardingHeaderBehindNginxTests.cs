using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>
/// The real service behind Debian's nginx, in each of the three forwarding modes. The caller connects
/// from 127.0.0.2 and nginx from 127.0.0.1 (the one trusted proxy); the caller sends a made-up
/// X-Forwarded-For on every request, which nginx passes through or appends to. Only the header the
/// proxy sets may count: the caller keeps one budget, and the logs name 127.0.0.2.
/// </summary>
public sealed class ForwardingHeaderBehindNginxTests
{
    private static readonly IPAddress Caller = IPAddress.Parse("127.0.0.2");

    [NginxTheory]
    [InlineData("X-Forwarded-For", "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")]
    [InlineData("X-Real-IP", "proxy_set_header X-Real-IP $remote_addr;")]
    [InlineData("Forwarded", "proxy_set_header Forwarded \"for=$remote_addr\";")]
    public async Task ASpoofedForwardingHeaderNeverWinsAndTheCallerKeepsOneBudget(string header, string nginxDirective)
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["RateLimit__PermitLimit"] = "2",
            ["TrustedProxies"] = "127.0.0.1",
            ["ForwardedHeaders__Header"] = header,
        });
        using var direct = await service.WaitUntilListeningAsync();
        await using var nginx = await NginxProxy.StartAsync(direct.BaseAddress!, nginxDirective);
        using var client = nginx.ClientFrom(Caller);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // No key: each request spends the caller's address budget, whatever it claims to be.
            using var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"203.0.113.{i + 1}");
            request.Headers.TryAddWithoutValidation("X-Real-IP", $"198.51.100.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(await service.WaitForOutputAsync("\"ClientAddress\":\"127.0.0.2\"", TimeSpan.FromSeconds(10)),
            "the request log does not name the caller's address");
        Assert.DoesNotContain("203.0.113.", service.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.", service.StandardOutput, StringComparison.Ordinal);
    }
}
