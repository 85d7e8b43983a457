using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Providers;

/// <summary>Named providers and routes that cannot work stop the real process with one line naming the setting.</summary>
public sealed class ProviderSettingsRefusalTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
        ["Chat__Providers__xai__Endpoint"] = "https://api.x.ai/v1",
        ["Chat__Providers__xai__ApiKey"] = "xai-key-that-must-not-be-printed",
        ["Chat__Providers__local__Endpoint"] = "http://127.0.0.1:11434/v1",
        ["Chat__Providers__local__ApiKey"] = "ollama",
        ["Chat__Models__grok-4__Targets__0"] = "xai/grok-4",
        ["Chat__Models__grok-4__Targets__1"] = "local/llama3.2",
        ["Chat__Model"] = "grok-4",
    };

    public static TheoryData<string, string, string?, string> Refusals() => new()
    {
        { "a target naming an unknown provider", "Chat__Models__grok-4__Targets__1", "openai/gpt-4.1", "'openai/gpt-4.1' must be provider/model with a provider of Chat:Providers" },
        { "a target without a model", "Chat__Models__grok-4__Targets__1", "local/", "'local/' must be provider/model" },
        { "a provider name with an underscore", "Chat__Providers__my_local__Endpoint", "http://127.0.0.1:11435/v1", "Chat:Providers:my_local: a provider's name must be lowercase" },
        { "a public name with a space", "Chat__Models__my model__Targets__0", "xai/grok-4", "Chat:Models:my model: a public model's name" },
        { "a default model that is not routed", "Chat__Model", "gpt-4.1", "Chat:Model must be one of the public models of Chat:Models (grok-4)" },
        { "an endpoint that is not http", "Chat__Providers__local__Endpoint", "ftp://127.0.0.1/v1", "Chat:Providers:local:Endpoint must be an absolute http(s) URL" },
        { "a provider without a key", "Chat__Providers__local__ApiKey", "", "Chat:Providers:local:ApiKey is required" },
        { "an allowed model that is not routed", "Chat__AllowedModels__0", "fast", "Chat:AllowedModels: 'fast' is not a public model of Chat:Models" },
        { "a break longer than the longest", "Chat__Breaker__Break", "00:10:00", "Chat:Breaker:MaxBreak must be at least Chat:Breaker:Break" },
        { "no failures to open", "Chat__Breaker__Failures", "0", "Chat:Breaker:Failures must be from 1 to 1000" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ABadRouteStopsTheStartWithOneLineNamingIt(string situation, string variable, string? value, string named)
    {
        using var folder = new TempFolder();
        var settings = Valid();
        settings[variable] = value;
        await using var service = ServiceProcess.StartInProduction(folder.Path, settings);

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 1, $"{situation}: exit code {exitCode}");
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("xai-key-that-must-not-be-printed", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidRoutesStartAndReportEachTargetAsClosed()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, Valid());
        using var client = await service.WaitUntilListeningAsync();

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal("""{"status":"ready","rateLimitStore":"memory","clients":"loaded","providers":{"xai/grok-4":"closed","local/llama3.2":"closed"}}""",
            await ready.Content.ReadAsStringAsync());
    }
}
