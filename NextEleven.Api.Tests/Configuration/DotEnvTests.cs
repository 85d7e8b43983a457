using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Configuration;

/// <summary>.env files and real variables, on the real process run from its own folder in Production.</summary>
public sealed class DotEnvTests
{
    private const string KeyInDotEnv = "dotenv-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string KeyInDotEnvLocal = "dotenv-local-key-bbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string KeyInEnvironment = "environment-key-cccccccccccccccccccccccccccc";

    [Fact]
    public async Task DotEnvLocalWinsOverDotEnvAndSectionNamesUseDoubleUnderscores()
    {
        using var folder = new TempFolder()
            .Write(".env", $"NEXTELEVEN_API_KEY={KeyInDotEnv}\nLimits__MaxMessageLength=5\n")
            .Write(".env.local", $"# local overrides\nNEXTELEVEN_API_KEY=\"{KeyInDotEnvLocal}\"\n");
        await using var service = ServiceProcess.StartInProduction(folder.Path);
        using var client = await service.WaitUntilListeningAsync();

        using var withLocalKey = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", KeyInDotEnvLocal));
        using var withDotEnvKey = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", KeyInDotEnv));
        using var tooLong = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello!"}""", KeyInDotEnvLocal));

        Assert.Equal(HttpStatusCode.OK, withLocalKey.StatusCode);
        await ApiAssert.Error(withDotEnvKey, HttpStatusCode.Unauthorized, "Invalid API key");
        var body = await ApiAssert.Error(tooLong, HttpStatusCode.BadRequest, "Invalid request");
        Assert.Contains("the limit is 5", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealEnvironmentVariablesWinOverBothFiles()
    {
        using var folder = new TempFolder()
            .Write(".env", $"NEXTELEVEN_API_KEY={KeyInDotEnv}\n")
            .Write(".env.local", $"NEXTELEVEN_API_KEY={KeyInDotEnvLocal}\n");
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = KeyInEnvironment,
        });
        using var client = await service.WaitUntilListeningAsync();

        using var withEnvironmentKey = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", KeyInEnvironment));
        using var withLocalKey = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", KeyInDotEnvLocal));
        using var status = await client.GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, withEnvironmentKey.StatusCode);
        await ApiAssert.Error(withLocalKey, HttpStatusCode.Unauthorized, "Invalid API key");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("Production", (await ApiAssert.Json(status)).GetProperty("environment").GetString());
        Assert.DoesNotContain(KeyInEnvironment, service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotEnvLocalInTheCurrentFolderCountsWhenTheContentRootIsAnotherAndWinsOverIt()
    {
        // As `dotnet run --project NextEleven.Api` at the repository root: content root NextEleven.Api/,
        // .env.local beside .env.example in the current folder.
        using var folder = new TempFolder()
            .Write(".env.local", $"NEXTELEVEN_API_KEY={KeyInDotEnvLocal}\n");
        var contentRoot = Directory.CreateDirectory(Path.Combine(folder.Path, "NextEleven.Api")).FullName;
        await File.WriteAllTextAsync(Path.Combine(contentRoot, ".env"), $"NEXTELEVEN_API_KEY={KeyInDotEnv}\nLimits__MaxMessageLength=5\n");
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["ASPNETCORE_CONTENTROOT"] = contentRoot,
        });
        using var client = await service.WaitUntilListeningAsync();

        using var withLocalKey = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", KeyInDotEnvLocal));
        using var withContentRootKey = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", KeyInDotEnv));
        using var tooLong = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello!"}""", KeyInDotEnvLocal));

        Assert.Equal(HttpStatusCode.OK, withLocalKey.StatusCode);
        await ApiAssert.Error(withContentRootKey, HttpStatusCode.Unauthorized, "Invalid API key");
        await ApiAssert.Error(tooLong, HttpStatusCode.BadRequest, "Invalid request");
        Assert.True(await service.WaitForOutputAsync(Path.Combine(folder.Path, ".env.local"), TimeSpan.FromSeconds(5)), "the start-up log does not name the file");
        Assert.Contains(Path.Combine(contentRoot, ".env"), service.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyInDotEnvLocal, service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }
}
