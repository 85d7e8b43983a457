using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Security;

/// <summary>The real process, started as an operator would, refusing to run without a usable key.</summary>
public sealed class StartupRefusalTests
{
    public static TheoryData<string, string?, string?> Refusals() => new()
    {
        { "no key in Production", "Production", null },
        { "no key and no environment set", null, null },
        { "a key shorter than 32 characters", "Production", "0123456789abcdef0123456789abcde" },
        { "the .env.example placeholder", "Production", ExamplePlaceholder() },
        { "no key in Staging", "Staging", "" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ProductionRefusesToStartWithOneClearLine(string situation, string? environment, string? key)
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.Start(folder.Path, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["NEXTELEVEN_API_KEY"] = key,
        });

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode != 0, $"{situation}: the service started (exit code {exitCode})");
        var lines = service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains("NEXTELEVEN_API_KEY", line, StringComparison.Ordinal);
        Assert.Contains("openssl rand -hex 32", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(key))
        {
            Assert.DoesNotContain(key, service.StandardOutput + service.StandardError, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("RateLimit__PermitLimit", "0", "RateLimit:PermitLimit")]
    [InlineData("RateLimit__Window", "00:00:00.500", "RateLimit:Window")]
    [InlineData("RateLimit__Public__Window", "2.00:00:00", "RateLimit:Public:Window")]
    [InlineData("RateLimit__MaxTrackedClients", "0", "RateLimit:MaxTrackedClients")]
    [InlineData("RateLimit__Tokens__PermitLimit", "0", "RateLimit:Tokens")]
    [InlineData("RateLimit__Tokens__PermitLimit", "3000000000", "RateLimit:Tokens")]
    [InlineData("RateLimit__Tokens__Window", "2.00:00:00", "RateLimit:Tokens")]
    [InlineData("RateLimit__Tiers__gold__Tokens__PermitLimit", "-5", "RateLimit:Tokens")]
    [InlineData("RateLimit__Spend__Limit", "-1", "RateLimit:Spend (and each tier's Spend): Limit must be USD")]
    [InlineData("RateLimit__Spend__Window", "week", "RateLimit:Spend (and each tier's Spend)")]
    [InlineData("RateLimit__Tiers__gold__Spend__Window", "400.00:00:00", "RateLimit:Spend (and each tier's Spend)")]
    [InlineData("RateLimit__Spend__AlertAt", "2", "RateLimit:Spend:AlertAt must be a share of the budget")]
    [InlineData("TrustedProxies", "10.0.0.0/8,not-an-address", "TrustedProxies")]
    [InlineData("Limits__MaxRequestBodyBytes", "10", "MaxRequestBodyBytes")]
    [InlineData("Chat__Provider", "nonsense", "Chat:Provider")]
    [InlineData("NEXTELEVEN_API_KEY_PREVIOUS", "too-short", "NEXTELEVEN_API_KEY_PREVIOUS is too short")]
    [InlineData("NEXTELEVEN_API_KEY_PREVIOUS", NextElevenApiFactory.TestApiKey, "is the same as NEXTELEVEN_API_KEY")]
    [InlineData("Chat__Provider", "openai", "GROK_API_KEY")]
    [InlineData("Chat__Timeout", "00:00:00", "Chat:Timeout")]
    [InlineData("Chat__Prices__grok-4__Input", "-1", "Chat:Prices:grok-4: Input, Output and CachedInput must be USD per million tokens, 0 or more.")]
    [InlineData("ConnectionStrings__Redis", "localhost:6379,password=redis-secret-not-to-print,retries=3", "ConnectionStrings:Redis")]
    [InlineData("ConnectionStrings__Redis", ",,,", "ConnectionStrings:Redis has an empty part")]
    [InlineData("ConnectionStrings__Redis", "127.0.0.1:notaport,,==", "ConnectionStrings:Redis")]
    [InlineData("ConnectionStrings__Redis", "=,=", "ConnectionStrings:Redis has an option without a name")]
    [InlineData("ConnectionStrings__Redis", "", "ConnectionStrings:Redis is set but blank")]
    [InlineData("ConnectionStrings__Redis", "  ", "ConnectionStrings:Redis is set but blank")]
    [InlineData("ConnectionStrings__Redis", "host:notaport", "'host:notaport', which is not host or host:port")]
    [InlineData("ConnectionStrings__Redis", "127.0.0.1:0", "'127.0.0.1:0'")]
    [InlineData("ConnectionStrings__Redis", "password=only", "ConnectionStrings:Redis names no server")]
    [InlineData("Limits__MaxRequestBodyBytes", "-5", "Limits:MaxRequestBodyBytes must be from 1024 to 67108864")]
    [InlineData("Limits__MaxMessageLength", "0", "Limits:MaxMessageLength must be from 1")]
    [InlineData("RateLimit__Redis__KeyPrefix", "app{1}:", "RateLimit:Redis:KeyPrefix")]
    [InlineData("RateLimit__Redis__Timeout", "00:00:00", "RateLimit:Redis:Timeout")]
    [InlineData("ForwardedHeaders__Header", "X-Client-IP", "ForwardedHeaders:Header must be one of")]
    [InlineData("Management__Urls", "http://127.0.0.1", "Management:Urls must be absolute http URLs with a port")]
    [InlineData("RateLimit__Window", "abc", "RateLimit:Window cannot be read")]
    [InlineData("RateLimit__PermitLimit", "abc", "RateLimit:PermitLimit cannot be read")]
    [InlineData("RateLimit__PermitLimit", "99999999999", "RateLimit:PermitLimit cannot be read")]
    [InlineData("Limits__MaxRequestBodyBytes", "abc", "Limits:MaxRequestBodyBytes cannot be read")]
    [InlineData("Chat__Timeout", "abc", "Chat:Timeout cannot be read")]
    [InlineData("Chat__MaxRetries", "x", "Chat:MaxRetries cannot be read")]
    [InlineData("OpenApi__Enabled", "maybe", "OpenApi:Enabled cannot be read")]
    public async Task AnInvalidSettingStopsTheStartWithOneLineNamingIt(string variable, string value, string named)
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            [variable] = value,
        });

        var exitCode = await service.WaitForExitAsync();

        // 1, the one-line refusal: not a crash's signal code.
        Assert.Equal(1, exitCode);
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        AssertEachSentenceOnce(line);
        Assert.DoesNotContain("   at ", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-secret-not-to-print", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Options", line, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ListenerClashes() => new()
    {
        { "the public port is taken", "public" },
        { "the management port is taken", "management" },
        { "the management listener is the public one", "same" },
        { "the management listener shares the public port on another address", "same-port" },
    };

    [Theory]
    [MemberData(nameof(ListenerClashes))]
    public async Task AListenerThatCannotBeBoundStopsTheStartWithOneLine(string situation, string clash)
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var busy = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var free = LoopbackPort.Free();
        var (urls, management) = clash switch
        {
            "public" => ($"http://127.0.0.1:{busy}", $"http://127.0.0.1:{free}"),
            "management" => ($"http://127.0.0.1:{free}", $"http://127.0.0.1:{busy}"),
            "same" => ($"http://127.0.0.1:{free}", $"http://127.0.0.1:{free}"),
            _ => ($"http://127.0.0.1:{free}", $"http://127.0.0.2:{free}"),
        };
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["Management__Urls"] = management,
        }, urls);

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 1, $"{situation}: exit code {exitCode}");
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(clash.StartsWith("same", StringComparison.Ordinal) ? "Management:Urls must use a port of its own" : "already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    private static void AssertEachSentenceOnce(string line)
    {
        var sentences = line.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(sentences.Length, sentences.Distinct().Count());
    }

    [Fact]
    public async Task AMalformedDotEnvFileStopsTheStartWithOneLineThatDoesNotQuoteIt()
    {
        using var folder = new TempFolder().Write(".env.local", "NEXTELEVEN_API_KEY=\"unterminated-secret-value\nOTHER=1\n");
        await using var service = ServiceProcess.StartInProduction(folder.Path);

        var exitCode = await service.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(".env.local cannot be parsed at line", line, StringComparison.Ordinal);
        Assert.DoesNotContain("unterminated-secret-value", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointOtherThanXaiNeedsAModel()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["Chat__ApiKey"] = "provider-key-that-must-not-be-printed",
            ["Chat__Endpoint"] = "http://127.0.0.1:11434/v1",
        });

        var exitCode = await service.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("Chat:Model is required", line, StringComparison.Ordinal);
        Assert.DoesNotContain("provider-key-that-must-not-be-printed", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASpendBudgetWithAnUnpricedTargetIsRefusedNamingTheTarget()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["Chat__ApiKey"] = "provider-key-that-must-not-be-printed",
            ["Chat__Endpoint"] = "http://127.0.0.1:11434/v1",
            ["Chat__Model"] = "llama3.2",
            ["RateLimit__Spend__Limit"] = "50",
        });

        var exitCode = await service.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("RateLimit:Spend:Limit sets a spend budget, but target openai-compatible/llama3.2 has no price", line, StringComparison.Ordinal);
        Assert.Contains("Chat:Prices:openai-compatible/llama3.2", line, StringComparison.Ordinal);
    }

    /// <summary>The placeholder as shipped in the repository's .env.example, so the two cannot drift apart.</summary>
    private static string ExamplePlaceholder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, ".env.example")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var line = File.ReadAllLines(Path.Combine(directory.FullName, ".env.example"))
            .Single(l => l.StartsWith("NEXTELEVEN_API_KEY=", StringComparison.Ordinal));
        return line["NEXTELEVEN_API_KEY=".Length..];
    }
}
