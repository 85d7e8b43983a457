using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Operations;

/// <summary>The files in deploy/, checked by the tools that will read them, and the nginx site run for real.</summary>
public sealed class DeploymentFilesTests
{
    private static readonly IPAddress Caller = IPAddress.Parse("127.0.0.2");

    [ToolFact("/usr/bin/promtool", "prometheus")]
    public async Task TheAlertRulesAreValidAndPassTheirUnitTests()
    {
        var folder = RepositoryFiles.PathOf("deploy/prometheus");

        var check = await ToolRun.RunAsync("/usr/bin/promtool", folder, "check", "rules", "alerts.yml");
        var test = await ToolRun.RunAsync("/usr/bin/promtool", folder, "test", "rules", "alerts.test.yml");

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.True(test.ExitCode == 0, test.Output);
    }

    [ToolFact("/usr/bin/systemd-analyze", "systemd")]
    public async Task TheSystemdUnitVerifies()
    {
        var unit = RepositoryFiles.PathOf("deploy/systemd/nexteleven-api.service");

        var verify = await ToolRun.RunAsync("/usr/bin/systemd-analyze", RepositoryFiles.Root, "verify", unit);

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.DoesNotContain("nexteleven-api.service:", verify.Output, StringComparison.Ordinal);
    }

    [ToolFact(NginxProxy.ExecutablePath, "nginx")]
    public async Task TheShippedNginxSitePassesNginxT()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "logs"));
        // The site verbatim; the upstream file names compose services, so the test gives its own.
        folder.Write("nginx.conf", NginxProxy.Configuration(folder.Path,
            "upstream nexteleven { server 127.0.0.1:8080; }\n" + $"include {RepositoryFiles.PathOf("deploy/nginx/nexteleven.conf")};"));

        var test = await ToolRun.RunAsync(NginxProxy.ExecutablePath, folder.Path, "-t", "-p", folder.Path, "-c", Path.Combine(folder.Path, "nginx.conf"));

        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("test is successful", test.Output, StringComparison.Ordinal);
    }

    [ToolFact(NginxProxy.ExecutablePath, "nginx")]
    public async Task BehindTheShippedSiteTwoInstancesOnRedisGiveACallerOneBudgetAndLogItsAddress()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = NextElevenApiFactory.TestApiKey,
            ["ConnectionStrings__Redis"] = TestRedis.ConnectionString,
            ["RateLimit__Redis__KeyPrefix"] = TestRedis.UniquePrefix(),
            ["RateLimit__PermitLimit"] = "3",
            // As the README says for nginx on the same host: it is the one trusted proxy.
            ["TrustedProxies"] = "127.0.0.1",
        };
        await using var first = ServiceProcess.StartInProduction(folder.Path, settings);
        await using var second = ServiceProcess.StartInProduction(folder.Path, settings);
        using var one = await first.WaitUntilListeningAsync();
        using var other = await second.WaitUntilListeningAsync();
        var site = (await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy/nginx/nexteleven.conf"))).Replace("listen 80;", "listen 127.0.0.1:{0};", StringComparison.Ordinal);
        Assert.Contains("{0}", site, StringComparison.Ordinal);
        await using var nginx = await NginxProxy.StartWithAsync(port =>
            $"upstream nexteleven {{ server 127.0.0.1:{one.BaseAddress!.Port}; server 127.0.0.1:{other.BaseAddress!.Port}; }}\n"
            + site.Replace("{0}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        using var client = nginx.ClientFrom(Caller);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        // No key: the caller's address budget, 3 across both instances, however it claims to be someone else.
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.True(await first.WaitForOutputAsync("\"ClientAddress\":\"127.0.0.2\"", TimeSpan.FromSeconds(10)), "instance 1 did not log the caller");
        Assert.True(await second.WaitForOutputAsync("\"ClientAddress\":\"127.0.0.2\"", TimeSpan.FromSeconds(10)), "instance 2 did not log the caller");
        Assert.DoesNotContain("203.0.113.", first.StandardOutput + second.StandardOutput, StringComparison.Ordinal);
    }
}
