using System.Security.Cryptography;
using System.Text.Json;

namespace NextEleven.Api.Clients;

/// <summary>
/// Changes to a clients file as the <c>keys</c> command makes them: read whole, changed in memory,
/// written whole to a temporary file beside it and renamed over it, so a running service never reads
/// half a file.
/// </summary>
public static class ClientsFileEditor
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

    public static void WriteAtomically(string path, ClientsFileJson file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, file, ClientsJsonContext.Default.ClientsFileJson);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
