using System.Net;
using System.Text.RegularExpressions;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Clients;

/// <summary>The keys command, run as a process as an operator runs it, and the service using what it wrote.</summary>
public sealed partial class KeysCommandTests
{
    [Fact]
    public async Task CreatePrintsTheKeyOnceAndTheFileHoldsOnlyItsDigest()
    {
        using var folder = new TempFolder();

        var created = await KeysCommandProcess.RunAsync(folder.Path, ["create", "acme", "--name", "Acme web", "--expires", "90d"]);

        Assert.Equal(0, created.ExitCode);
        var key = created.StandardOutput.Trim();
        Assert.Matches(KeyFormat(), key);
        Assert.Equal(key + Environment.NewLine, created.StandardOutput);
        Assert.DoesNotContain(key, created.StandardError, StringComparison.Ordinal);
        var file = await File.ReadAllTextAsync(Path.Combine(folder.Path, "clients.json"));
        Assert.Contains(ClientsFiles.Hash(key), file, StringComparison.Ordinal);
        Assert.DoesNotContain(key, file, StringComparison.Ordinal);
        Assert.Contains("\"prefix\": \"" + key[..7] + "\"", file, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ListShowsEachKeyWithoutKeyMaterialAndRevokeRemovesOne()
    {
        using var folder = new TempFolder();
        var first = (await KeysCommandProcess.RunAsync(folder.Path, ["create", "acme"])).StandardOutput.Trim();
        var second = (await KeysCommandProcess.RunAsync(folder.Path, ["create", "acme", "--expires", "1d"])).StandardOutput.Trim();
        // The command refuses a date in the past; a key that has expired since is what an operator lists.
        var path = Path.Combine(folder.Path, "clients.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["clients"]![0]!["keys"]![1]!["expires"] = "2020-01-01T00:00:00Z";
        await File.WriteAllTextAsync(path, json.ToJsonString());

        var listed = await KeysCommandProcess.RunAsync(folder.Path, ["list"]);
        var revoked = await KeysCommandProcess.RunAsync(folder.Path, ["revoke", "acme", first[..7]]);
        var afterRevoke = await KeysCommandProcess.RunAsync(folder.Path, ["list"]);

        Assert.Equal(0, listed.ExitCode);
        var lines = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($"^acme\t{Regex.Escape(first[..7])}\t\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\t-\tactive$", lines[0]);
        Assert.Matches($"^acme\t{Regex.Escape(second[..7])}\t.*\t2020-01-01T00:00:00Z\texpired$", lines[1]);
        Assert.DoesNotContain(first[7..], listed.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256:", listed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Single(afterRevoke.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task HashPrintsTheDigestTheFileWouldHold()
    {
        using var folder = new TempFolder();
        var key = ClientsFiles.NewKey();

        var hashed = await KeysCommandProcess.RunAsync(folder.Path, ["hash"], standardInput: key);

        Assert.Equal(0, hashed.ExitCode);
        Assert.Equal(ClientsFiles.Hash(key) + Environment.NewLine, hashed.StandardOutput);
    }

    [Theory]
    [InlineData("no arguments", new string[0])]
    [InlineData("create without an id", new[] { "create" })]
    [InlineData("create with a bad id", new[] { "create", "Acme!" })]
    [InlineData("create with a bad expiry", new[] { "create", "acme", "--expires", "soon" })]
    [InlineData("create with an expiry past the calendar", new[] { "create", "acme", "--expires", "99999999d" })]
    [InlineData("create with an expiry in the past", new[] { "create", "acme", "--expires", "2020-01-01" })]
    [InlineData("create with an id ending in a newline", new[] { "create", "acme\n" })]
    [InlineData("create with an unknown tier", new[] { "create", "acme", "--tier", "platinum" })]
    [InlineData("revoke an unknown client", new[] { "revoke", "nobody", "nx_abcd" })]
    [InlineData("revoke without a prefix", new[] { "revoke", "acme" })]
    [InlineData("an unknown command", new[] { "rotate", "acme" })]
    public async Task UsageErrorsExitWith2AndWriteNothing(string situation, string[] arguments)
    {
        using var folder = new TempFolder();
        var existing = (await KeysCommandProcess.RunAsync(folder.Path, ["create", "acme"])).StandardOutput.Trim();
        var before = await File.ReadAllTextAsync(Path.Combine(folder.Path, "clients.json"));

        var outcome = await KeysCommandProcess.RunAsync(folder.Path, arguments);

        Assert.True(outcome.ExitCode == 2, $"{situation}: exit code {outcome.ExitCode}");
        Assert.Contains("usage", outcome.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", outcome.StandardOutput);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(folder.Path, "clients.json")));
        Assert.DoesNotContain(existing, outcome.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("list")]
    [InlineData("revoke")]
    [InlineData("hash")]
    public async Task EveryCommandHasHelp(string command)
    {
        using var folder = new TempFolder();

        var help = await KeysCommandProcess.RunAsync(folder.Path, [command, "--help"]);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains($"keys {command}", help.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceAcceptsAKeyTheCommandCreatedWithNoOtherKeySet()
    {
        using var folder = new TempFolder();
        var key = (await KeysCommandProcess.RunAsync(folder.Path, ["create", "acme"])).StandardOutput.Trim();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["Clients__File"] = "clients.json",
        });
        using var client = await service.WaitUntilListeningAsync();

        using var accepted = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", key));
        using var refused = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", ClientsFiles.NewKey()));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(key, service.StandardOutput + service.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex("^nx_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyFormat();
}
