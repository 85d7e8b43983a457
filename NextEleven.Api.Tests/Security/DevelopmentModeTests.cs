using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Security;

public sealed class DevelopmentModeTests
{
    [Fact]
    public async Task DevelopmentWithoutKeyLetsRequestsThroughAndWarnsAtStart()
    {
        using var factory = new NextElevenApiFactory { EnvironmentName = "Development", ApiKey = null };

        using var chat = await factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));
        using var status = await factory.CreateClient().GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal("open", (await ApiAssert.Json(status)).GetProperty("auth").GetString());
        Assert.Contains(factory.Logs.Events, e =>
            e.Level == LogEventLevel.Warning && e.RenderMessage(null).Contains("NEXTELEVEN_API_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevelopmentWithKeyEnforcesIt()
    {
        using var factory = new NextElevenApiFactory { EnvironmentName = "Development", ApiKey = "short-dev-key" };

        using var without = await factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));
        using var with = await factory.CreateClient("short-dev-key").SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));
        using var status = await factory.CreateClient("short-dev-key").GetAsync("/api/system/env-status");

        await ApiAssert.Error(without, HttpStatusCode.Unauthorized, "Authentication required");
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Equal("enforced", (await ApiAssert.Json(status)).GetProperty("auth").GetString());
        Assert.DoesNotContain(factory.Logs.Events, e => e.RenderMessage(null).Contains("OPEN", StringComparison.Ordinal));
    }
}
