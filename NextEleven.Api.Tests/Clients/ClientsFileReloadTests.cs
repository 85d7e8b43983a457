using System.Diagnostics;
using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Clients;

/// <summary>The clients file on the real service process: refused whole at start, and changed while it runs.</summary>
public sealed class ClientsFileReloadTests
{
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(5);

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Clients__File"] = "clients.json",
    };

    public static TheoryData<string, string, string> RefusedFiles() => new()
    {
        { "a plaintext key", """{"clients":[{"id":"acme","keys":[{"key":"nx_plaintext"}]}]}""", "unknown field 'key'" },
        { "a key that is not a digest", """{"clients":[{"id":"acme","keys":[{"hash":"nx_plaintext"}]}]}""", "keys[0].hash must be 'sha256:'" },
        { "a duplicate id", ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()]), ClientsFiles.Client("acme", [ClientsFiles.NewKey()])), "client 'acme': the id is used twice" },
        { "a duplicate hash", DuplicateHash(), "is already a key of client 'acme'" },
        { "a bad id", ClientsFiles.File(ClientsFiles.Client("Acme Web", [ClientsFiles.NewKey()])), "id 'Acme Web' must match" },
        { "an unknown tier", ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { tier = "platinum" })), "tier 'platinum' is not configured" },
        { "an unparsable date", """{"clients":[{"id":"acme","keys":[{"hash":"sha256:0000000000000000000000000000000000000000000000000000000000000000","expires":"next spring"}]}]}""", "is not a date" },
        { "an unparsable window", ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { limits = new { window = "1h" } })), "limits.window '1h'" },
        { "invalid JSON", """{"clients": [""", "not valid JSON" },
        { "no key anywhere", """{"clients":[]}""", "the clients file has no key" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task AnInvalidFileIsRefusedWholeAtStartWithOneLineNamingTheProblem(string situation, string content, string named)
    {
        using var folder = new TempFolder().Write("clients.json", content);
        await using var service = ServiceProcess.StartInProduction(folder.Path, Settings());

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode != 0, $"{situation}: the service started");
        var line = Assert.Single(service.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangesToTheFileTakeEffectWithinSecondsAndABrokenFileKeepsTheLastGoodSet()
    {
        var acme = ClientsFiles.NewKey();
        var globex = ClientsFiles.NewKey();
        using var folder = new TempFolder().Write("clients.json", ClientsFiles.File(ClientsFiles.Client("acme", [acme])));
        var path = Path.Combine(folder.Path, "clients.json");
        await using var service = ServiceProcess.StartInProduction(folder.Path, Settings());
        using var client = await service.WaitUntilListeningAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, acme));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(client, globex));

        // Added by an atomic replace (a temporary file renamed over it), as deploy tools and the keys command do.
        ClientsFiles.WriteAtomically(path, ClientsFiles.File(ClientsFiles.Client("acme", [acme]), ClientsFiles.Client("globex", [globex])));
        var added = await TimeUntil(client, globex, HttpStatusCode.OK);

        // Revoked by writing the file in place.
        await File.WriteAllTextAsync(path, ClientsFiles.File(ClientsFiles.Client("globex", [globex])));
        var revoked = await TimeUntil(client, acme, HttpStatusCode.Unauthorized);

        // A broken file: refused whole, the last good set stays, one error line says why.
        await File.WriteAllTextAsync(path, """{"clients": [ {"id": "globex", "keys": [ """);
        Assert.True(await service.WaitForOutputAsync("not valid JSON", ReloadDeadline), "no error line for the broken file");

        Assert.True(added < ReloadDeadline, $"a new client's key worked only after {added}");
        Assert.True(revoked < ReloadDeadline, $"a revoked key kept working for {revoked}");
        Assert.Equal(HttpStatusCode.OK, await StatusWith(client, globex));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(client, acme));
        Assert.Single(service.StandardOutput.Split('\n'), line => line.Contains("not valid JSON", StringComparison.Ordinal));
    }

    private static string DuplicateHash()
    {
        var key = ClientsFiles.NewKey();
        return ClientsFiles.File(ClientsFiles.Client("acme", [key]), ClientsFiles.Client("globex", [key]));
    }

    private static async Task<HttpStatusCode> StatusWith(HttpClient client, string key)
    {
        using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", key));
        return response.StatusCode;
    }

    /// <summary>How long until the key gets the status, polled every 50 ms, up to twice the deadline.</summary>
    private static async Task<TimeSpan> TimeUntil(HttpClient client, string key, HttpStatusCode status)
    {
        var waited = Stopwatch.StartNew();
        while (await StatusWith(client, key) != status && waited.Elapsed < 2 * ReloadDeadline)
        {
            await Task.Delay(50);
        }
        return waited.Elapsed;
    }
}
