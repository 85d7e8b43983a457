using System.Security.Cryptography;
using System.Text.Json;

namespace NextEleven.Api.Clients;

/// <summary>
/// Changes to a clients file as the <c>keys</c> command makes them: under a lock that every writer takes
/// (so concurrent commands never lose each other's keys), read whole, changed in memory, written whole to
/// a temporary file beside it and renamed over it, so a running service never reads half a file. A path
/// that is a symlink (a ConfigMap, a deploy tool's link) is written through: the link stays a link.
/// </summary>
internal static class ClientsFileEditor
{
    /// <summary>A new key: <c>nx_</c> and 43 base64url characters (32 random bytes).</summary>
    public static string NewKey() => "nx_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The part of a key that names it in the file, lists and logs: <c>nx_</c> and four characters.</summary>
    public static string PrefixOf(string key) => key[..7];

    /// <summary>The file's clients, or an empty list when the file does not exist yet.</summary>
    public static ClientsFileJson ReadOrEmpty(string path, out string? problem)
    {
        problem = null;
        return File.Exists(path) ? ClientsFileLoader.Read(path, out problem) ?? new ClientsFileJson() : new ClientsFileJson();
    }

    /// <summary>How long a writer waits for another to finish before giving up.</summary>
    internal static TimeSpan LockTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The file the path names once every symlink is followed: the one to change and rename over.</summary>
    public static string TargetOf(string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        return file.LinkTarget is null ? file.FullName : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
    }

    /// <summary>
    /// Takes the writers' lock of the file: an exclusive lock on <c>.&lt;name&gt;.lock</c> beside its target
    /// (flock, released by the kernel if the process dies), held from the read to the rename. The lock file
    /// stays behind: removing it would let a waiting writer lock a file the next one no longer sees.
    /// </summary>
    public static FileStream Lock(string path)
    {
        var target = TargetOf(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var lockPath = Path.Combine(folder, $".{Path.GetFileName(target)}.lock");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(lockPath) && !Directory.Exists(lockPath) && waited.Elapsed < LockTimeout)
            {
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
        }
    }

    public static void WriteAtomically(string path, ClientsFileJson file)
    {
        var target = TargetOf(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, file, ClientsJsonContext.Default.ClientsFileJson);
                stream.Flush(flushToDisk: true);
            }
            if (File.Exists(target) && !OperatingSystem.IsWindows())
            {
                // The operator's permissions (a 0600 file, say) survive the replacement.
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
