using System.Text.Json.Nodes;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Clients;

/// <summary>
/// The keys command under the conditions automation creates: many writers at once, a clients file behind a
/// symlink, permissions an operator set, and paths that cannot be a clients file.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeysCommandStressTests
{
    [Fact]
    public async Task TwelveConcurrentCreatesStoreEveryKeyTheyPrinted()
    {
        using var folder = new TempFolder();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            KeysCommandProcess.RunAsync(folder.Path, ["create", i % 2 == 0 ? "acme" : $"client-{i}"])));

        Assert.All(outcomes, outcome => Assert.Equal(0, outcome.ExitCode));
        var file = await File.ReadAllTextAsync(Path.Combine(folder.Path, "clients.json"));
        var stored = JsonNode.Parse(file)!["clients"]!.AsArray().SelectMany(c => c!["keys"]!.AsArray()).Count();
        Assert.Equal(12, stored);
        Assert.All(outcomes, outcome => Assert.Contains(ClientsFiles.Hash(outcome.StandardOutput.Trim()), file, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASymlinkedFileIsWrittenThroughAndKeepsItsMode()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(Directory.CreateDirectory(Path.Combine(folder.Path, "..v1")).FullName, "clients.json");
        var existing = ClientsFiles.NewKey();
        await File.WriteAllTextAsync(target, ClientsFiles.File(ClientsFiles.Client("acme", [existing])));
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = Path.Combine(folder.Path, "clients.json");
        File.CreateSymbolicLink(link, "..v1/clients.json");

        var created = await KeysCommandProcess.RunAsync(folder.Path, ["create", "globex"]);

        Assert.Equal(0, created.ExitCode);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        var content = await File.ReadAllTextAsync(target);
        Assert.Contains(ClientsFiles.Hash(created.StandardOutput.Trim()), content, StringComparison.Ordinal);
        Assert.Contains(ClientsFiles.Hash(existing), content, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task RevokeRefusesAPrefixSharedByTwoKeysAndTakesAKeyWithoutPrefixByItsListedId()
    {
        using var folder = new TempFolder();
        var (first, second, bare) = (ClientsFiles.NewKey(), ClientsFiles.NewKey(), ClientsFiles.NewKey());
        var acme = ClientsFiles.Client("acme", [first, second, bare]);
        acme["keys"]![1]!["prefix"] = first[..7];
        acme["keys"]![2]!.AsObject().Remove("prefix");
        var path = Path.Combine(folder.Path, "clients.json");
        await File.WriteAllTextAsync(path, ClientsFiles.File(acme));

        var shared = await KeysCommandProcess.RunAsync(folder.Path, ["revoke", "acme", first[..7]]);
        var listed = await KeysCommandProcess.RunAsync(folder.Path, ["list"]);
        var bareId = listed.StandardOutput.Split('\n')[2].Split('\t')[1];
        var byId = await KeysCommandProcess.RunAsync(folder.Path, ["revoke", "acme", bareId]);

        Assert.Equal(2, shared.ExitCode);
        Assert.Contains("names 2 keys", shared.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("key_", bareId, StringComparison.Ordinal);
        Assert.Equal(0, byId.ExitCode);
        var content = await File.ReadAllTextAsync(path);
        Assert.Contains(ClientsFiles.Hash(first), content, StringComparison.Ordinal);
        Assert.Contains(ClientsFiles.Hash(second), content, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientsFiles.Hash(bare), content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashIgnoresAByteOrderMark()
    {
        using var folder = new TempFolder();
        var key = ClientsFiles.NewKey();

        var hashed = await KeysCommandProcess.RunAsync(folder.Path, ["hash"], standardInput: "\uFEFF" + key);

        Assert.Equal(ClientsFiles.Hash(key) + Environment.NewLine, hashed.StandardOutput);
    }

    [Theory]
    [InlineData("a folder", "folder")]
    [InlineData("a path below a file", "plain.txt/clients.json")]
    public async Task APathThatCannotBeTheFileFailsWithOneLine(string situation, string file)
    {
        using var folder = new TempFolder().Write("plain.txt", "not a folder");
        Directory.CreateDirectory(Path.Combine(folder.Path, "folder"));

        var outcome = await KeysCommandProcess.RunAsync(folder.Path, ["create", "acme", "--file", file]);

        Assert.True(outcome.ExitCode == 1, $"{situation}: exit code {outcome.ExitCode}");
        Assert.Equal("", outcome.StandardOutput);
        Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", outcome.StandardError, StringComparison.Ordinal);
    }
}
