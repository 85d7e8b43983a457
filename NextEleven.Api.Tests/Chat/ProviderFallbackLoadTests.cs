using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Chat;

/// <summary>
/// A dead provider under steady load, on the real clock: the breaker bounds its calls. Alone in its
/// collection, so the answers' timing is the service's, not forty test classes' beside it.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class ProviderFallbackLoadTests(Xunit.Abstractions.ITestOutputHelper output) : RoutedProvidersTests
{
    [Fact]
    public async Task UnderLoadADeadTargetGetsAtMostItsFailuresAndOneCallPerBreak()
    {
        // 200 requests over 10 seconds of real time, both surfaces, JSON and streams, with the first target down and a 3-second break.
        First.Respond = Replies.Error(503, """{"error":{"message":"down"}}""");
        Second.Respond = ProviderFallbackTests.Healthy("from the second");
        using var factory = Routed(systemClock: true, ("Chat:Breaker:Failures", "3"), ("Chat:Breaker:Break", "00:00:03"));
        var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var pending = new List<Task<HttpStatusCode>>();
        for (var i = 0; i < 200; i++)
        {
            var (surface, stream) = (i % 2 == 0 ? "chat" : "v1", i % 4 < 2);
            pending.Add(Task.Run(async () =>
            {
                using var response = await client.SendAsync(ProviderFallbackTests.Request(surface, stream));
                return response.StatusCode;
            }));
            await Task.Delay(50);
        }
        var statuses = await Task.WhenAll(pending);
        var elapsed = clock.Elapsed;

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var breaks = (int)Math.Ceiling(elapsed / TimeSpan.FromSeconds(3));
        output.WriteLine($"{statuses.Length} requests in {elapsed.TotalSeconds:0.0} s: the dead target received {First.Requests.Count} calls "
            + $"(3 failures, then at most one per 3-second break: at most {3 + breaks})");
        Assert.InRange(First.Requests.Count, 3, 3 + breaks);
    }
}
