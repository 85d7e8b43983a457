using System.Net;
using System.Text.RegularExpressions;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Chat;

/// <summary>
/// The README's fallback walkthrough, verbatim: its settings as written, with each provider's endpoint
/// swapped for a loopback provider of the test's own, in the published service started as a process.
/// </summary>
public sealed partial class FallbackWalkthroughTests : IAsyncLifetime
{
    private readonly Dictionary<string, FakeProvider> _providers = [];

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "xai", "openai", "local" })
        {
            _providers[name] = await FakeProvider.StartAsync();
            _providers[name].Respond = Replies.JsonOrStream($"answered by {name}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers.Values)
        {
            await provider.DisposeAsync();
        }
    }

    /// <summary>The variables of the walkthrough's command, as the README writes them.</summary>
    private static async Task<Dictionary<string, string?>> WalkthroughSettingsAsync()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.PathOf("README.md"));
        var section = readme[readme.IndexOf("### Several providers and fallback", StringComparison.Ordinal)..];
        var command = CodeBlock().Match(section).Groups["code"].Value.Replace("\\\n", " ", StringComparison.Ordinal);
        return command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(word => word != "dotnet")
            .Select(word => word.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => (string?)pair[1]);
    }

    [Fact]
    public async Task XaiAnswersThenOpenAiDuringItsOutageThenTheLocalModelAsALastResort()
    {
        var settings = await WalkthroughSettingsAsync();
        Assert.Equal("https://api.x.ai/v1", settings["Chat__Providers__xai__Endpoint"]);
        Assert.Equal("xai/grok-4", settings["Chat__Models__grok-4__Targets__0"]);
        foreach (var (name, provider) in _providers)
        {
            settings[$"Chat__Providers__{name}__Endpoint"] = provider.Endpoint.ToString();
        }
        settings["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey;
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, settings);
        using var client = await service.WaitUntilListeningAsync();

        async Task<(string Target, string Attempts, string Reply)> ChatAsync()
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}""", NextElevenApiFactory.TestApiKey));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await ApiAssert.Json(response);
            return (response.Headers.GetValues("X-NextEleven-Target").Single(), response.Headers.GetValues("X-NextEleven-Attempts").Single(),
                body.GetProperty("reply").GetString()!);
        }

        var healthy = await ChatAsync();
        _providers["xai"].Respond = Replies.Error(503, """{"error":{"message":"outage"}}""");
        var xaiDown = await ChatAsync();
        _providers["openai"].Respond = Replies.Error(429, """{"error":{"message":"rate limited"}}""", ("Retry-After", "30"));
        var bothDown = await ChatAsync();

        Assert.Equal(("xai/grok-4", "1", "answered by xai"), healthy);
        // xAI's 503 is retried once on xAI (MaxRetries 1, the default), then OpenAI answers.
        Assert.Equal(("openai/gpt-4.1", "3", "answered by openai"), xaiDown);
        Assert.Equal("local/llama3.2", bothDown.Target);
        Assert.Equal("answered by local", bothDown.Reply);
        Assert.Equal("gpt-4.1", _providers["openai"].Requests.First().Body["model"]!.GetValue<string>());
    }

    [GeneratedRegex("```bash\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
