using System.Diagnostics;
using System.Net;
using System.Text;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Clients;

/// <summary>
/// The clients file under stress, on the real service process: reloads racing each other, a file at the
/// documented scale (100,000 clients), a reload that would lock everyone out, and a symlink swapped as
/// Kubernetes swaps a ConfigMap.
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class ClientsFileStressTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(5);

    private static Dictionary<string, string?> Settings(string file = "clients.json") => new()
    {
        ["Clients__File"] = file,
        // These tests poll with refused keys: keep the caller's address budget out of the way.
        ["RateLimit__PermitLimit"] = "100000",
    };

    [Fact]
    public async Task ARevokedKeyNeverComesBackWhenAnOlderLargerFileWasStillBeingRead()
    {
        var revoked = ClientsFiles.NewKey();
        var kept = ClientsFiles.NewKey();
        using var folder = new TempFolder().Write("clients.json", ClientsFiles.File(ClientsFiles.Client("acme", [revoked, kept])));
        var path = Path.Combine(folder.Path, "clients.json");
        await using var service = ServiceProcess.StartInProduction(folder.Path, Settings());
        using var client = await service.WaitUntilListeningAsync();

        // A large version that still holds the key, then, while it is being read, a small one that revokes it.
        ClientsFiles.WriteAtomically(path, LargeFile(30_000, ("acme", [revoked, kept])));
        await Task.Delay(400);
        ClientsFiles.WriteAtomically(path, ClientsFiles.File(ClientsFiles.Client("acme", [kept])));

        Assert.True(await Eventually(client, revoked, HttpStatusCode.Unauthorized, 3 * ReloadDeadline), "the revoked key was never refused");
        // Wherever the read of the older version ends (it may not have started at all), the newest stays in force.
        await service.WaitForOutputAsync("\"Clients\":30001", TimeSpan.FromSeconds(40));
        var watched = Stopwatch.StartNew();
        while (watched.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(client, revoked));
            await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, kept));
    }

    [Fact]
    public async Task AHundredThousandClientsStartAndReloadInSeconds()
    {
        var first = ClientsFiles.NewKey();
        var last = ClientsFiles.NewKey();
        using var folder = new TempFolder().Write("clients.json", LargeFile(100_000, ("first", [first]), ("zz-last", [last])));
        var path = Path.Combine(folder.Path, "clients.json");

        var started = Stopwatch.StartNew();
        await using var service = ServiceProcess.StartInProduction(folder.Path, Settings());
        using var client = await service.WaitUntilListeningAsync();
        var startTime = started.Elapsed;
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, last));

        // The same 100,000 clients with the last client's key revoked.
        ClientsFiles.WriteAtomically(path, LargeFile(100_000, ("first", [first]), ("zz-last", [ClientsFiles.NewKey()])));
        var reloaded = Stopwatch.StartNew();
        Assert.True(await Eventually(client, last, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30)), "the revocation never took effect");
        var reloadTime = reloaded.Elapsed;
        output.WriteLine($"100,000 clients: started in {startTime.TotalSeconds:0.0} s, a revocation took effect in {reloadTime.TotalSeconds:0.0} s");

        Assert.True(startTime < TimeSpan.FromSeconds(20), $"100,000 clients took {startTime} to start");
        Assert.True(reloadTime < TimeSpan.FromSeconds(10), $"100,000 clients took {reloadTime} to reload");
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, first));
    }

    public static TheoryData<string, string, string> FilesThatWouldLockEveryoneOut() => new()
    {
        { "an empty client list", """{"clients": []}""", "has no key" },
        { "a second clients property", $"{{\"clients\": [{ClientsFiles.Client("acme", [ClientsFiles.NewKey()]).ToJsonString()}], \"clients\": []}}", "given twice" },
        { "clients without keys", ClientsFiles.File(ClientsFiles.Client("acme", [])), "has no key" },
    };

    [Theory]
    [MemberData(nameof(FilesThatWouldLockEveryoneOut))]
    public async Task AReloadToAFileWithNoKeysIsRefusedAndTheLastGoodSetStays(string situation, string content, string named)
    {
        var acme = ClientsFiles.NewKey();
        using var folder = new TempFolder().Write("clients.json", ClientsFiles.File(ClientsFiles.Client("acme", [acme])));
        await using var service = ServiceProcess.StartInProduction(folder.Path, Settings());
        using var client = await service.WaitUntilListeningAsync();

        ClientsFiles.WriteAtomically(Path.Combine(folder.Path, "clients.json"), content);

        Assert.True(await service.WaitForOutputAsync(named, 2 * ReloadDeadline), $"{situation}: no error line");
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, acme));
        using var ready = await client.GetAsync("/readyz");
        Assert.Contains("\"clients\":\"stale\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASymlinkSwappedAsAConfigMapIsSwappedTakesEffectWithinFiveSeconds()
    {
        var acme = ClientsFiles.NewKey();
        var globex = ClientsFiles.NewKey();
        using var folder = new TempFolder();
        // Kubernetes' layout: clients.json -> ..data/clients.json, ..data -> ..v1; an update swaps ..data.
        var mount = Directory.CreateDirectory(Path.Combine(folder.Path, "config")).FullName;
        Directory.CreateDirectory(Path.Combine(mount, "..v1"));
        Directory.CreateDirectory(Path.Combine(mount, "..v2"));
        await File.WriteAllTextAsync(Path.Combine(mount, "..v1", "clients.json"), ClientsFiles.File(ClientsFiles.Client("acme", [acme])));
        await File.WriteAllTextAsync(Path.Combine(mount, "..v2", "clients.json"), ClientsFiles.File(ClientsFiles.Client("globex", [globex])));
        File.CreateSymbolicLink(Path.Combine(mount, "..data"), "..v1");
        File.CreateSymbolicLink(Path.Combine(mount, "clients.json"), "..data/clients.json");
        await using var service = ServiceProcess.StartInProduction(folder.Path, Settings("config/clients.json"));
        using var client = await service.WaitUntilListeningAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, acme));

        File.CreateSymbolicLink(Path.Combine(mount, "..data_tmp"), "..v2");
        // rename(2) of a link over a link, as kubelet does (File.Move follows a link to a folder).
        using (var rename = Process.Start("mv", ["-T", Path.Combine(mount, "..data_tmp"), Path.Combine(mount, "..data")]))
        {
            await rename.WaitForExitAsync();
            Assert.Equal(0, rename.ExitCode);
        }
        var swapped = Stopwatch.StartNew();

        Assert.True(await Eventually(client, globex, HttpStatusCode.OK, 2 * ReloadDeadline), "the swapped file never took effect");
        Assert.True(swapped.Elapsed < ReloadDeadline, $"the swap took {swapped.Elapsed}");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(client, acme));
    }

    /// <summary>A clients file of <paramref name="count"/> clients with a key each, plus the named ones.</summary>
    private static string LargeFile(int count, params (string Id, string[] Keys)[] named)
    {
        var text = new StringBuilder("{\"clients\":[");
        foreach (var (id, keys) in named)
        {
            text.Append(ClientsFiles.Client(id, keys).ToJsonString()).Append(',');
        }
        for (var i = 0; i < count; i++)
        {
            // Digests made up from the index: a valid file of that size without hashing 100,000 keys.
            text.Append("{\"id\":\"bulk-").Append(i).Append("\",\"keys\":[{\"hash\":\"sha256:")
                .Append(i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture))
                .Append("\",\"prefix\":\"nx_bulk\"}]}").Append(i + 1 < count ? "," : "");
        }
        return text.Append("]}").ToString();
    }

    private static async Task<HttpStatusCode> StatusWith(HttpClient client, string key)
    {
        using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", key));
        return response.StatusCode;
    }

    private static async Task<bool> Eventually(HttpClient client, string key, HttpStatusCode status, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < within)
        {
            if (await StatusWith(client, key) == status)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
