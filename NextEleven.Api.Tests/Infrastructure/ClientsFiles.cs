using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>Keys and clients files for tests, written as an operator (or the keys command) would.</summary>
public static class ClientsFiles
{
    /// <summary>A fresh key in the service's format: nx_ and 43 base64url characters.</summary>
    public static string NewKey() => "nx_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A client entry: <paramref name="extra"/> adds fields such as tier, limits, models or disabled.</summary>
    public static JsonObject Client(string id, string[] keys, object? extra = null, DateTimeOffset? expires = null)
    {
        var client = new JsonObject
        {
            ["id"] = id,
            ["keys"] = new JsonArray([.. keys.Select(key => (JsonNode)new JsonObject
            {
                ["hash"] = Hash(key),
                ["prefix"] = key[..7],
                ["created"] = "2026-01-01T00:00:00Z",
                ["expires"] = expires?.ToString("O"),
            })]),
        };
        if (extra is not null)
        {
            foreach (var (name, value) in JsonSerializer.SerializeToNode(extra, JsonSerializerOptions.Web)!.AsObject())
            {
                client[name] = value?.DeepClone();
            }
        }
        return client;
    }

    public static string File(params JsonObject[] clients) =>
        new JsonObject { ["clients"] = new JsonArray([.. clients]) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Replaces the file the way deploy tools and the keys command do: a temporary file, then a rename.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        System.IO.File.WriteAllText(temporary, content);
        System.IO.File.Move(temporary, path, overwrite: true);
    }
}
