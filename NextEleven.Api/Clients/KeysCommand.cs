using System.CommandLine;
using System.Globalization;
using NextEleven.Api.Configuration;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Clients;

/// <summary>
/// <c>dotnet NextEleven.Api.dll keys …</c>: manages the clients file. Standard output carries only what a
/// script needs (a new key, the list, a digest); messages go to standard error. Exit codes: 0 done,
/// 1 failed, 2 usage. A key is printed once and written nowhere; the file holds only its digest.
/// </summary>
internal static class KeysCommand
{
    private const int Done = 0;
    private const int Failed = 1;
    private const int Usage = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader input)
    {
        if (CommandConfiguration.Read(out var settingsProblem) is not { } configuration)
        {
            error.WriteLine(settingsProblem);
            return Failed;
        }
        var fileOption = new Option<string>("--file")
        {
            Description = "The clients file (default: Clients:File, else clients.json in the current folder).",
        };

        var createId = new Argument<string>("id") { Description = "The client's id: [a-z0-9][a-z0-9-]{0,63}." };
        var name = new Option<string>("--name") { Description = "A readable name for the client." };
        var tier = new Option<string>("--tier") { Description = "A tier configured as RateLimit:Tiers:<name>." };
        var expires = new Option<string>("--expires") { Description = "When the key stops working: 90d, or a date (2027-03-01)." };
        var create = new Command("create", "Adds a new key to a client (creating the client if needed) and prints the key, once.")
        {
            createId, name, tier, expires, fileOption,
        };
        create.SetAction(result => Create(result.GetValue(createId)!, result.GetValue(name), result.GetValue(tier),
            result.GetValue(expires), FileOf(result, fileOption, configuration), configuration, output, error));

        var list = new Command("list", "Lists every key: client id, prefix, created, expires, state. Never key material.") { fileOption };
        list.SetAction(result => List(FileOf(result, fileOption, configuration), output, error));

        var revokeId = new Argument<string>("id") { Description = "The client's id." };
        var revokePrefix = new Argument<string>("prefix") { Description = "The key's prefix, as 'keys list' shows it." };
        var revoke = new Command("revoke", "Removes one key of a client.") { revokeId, revokePrefix, fileOption };
        revoke.SetAction(result => Revoke(result.GetValue(revokeId)!, result.GetValue(revokePrefix)!,
            FileOf(result, fileOption, configuration), configuration, output, error));

        var hash = new Command("hash", "Reads a key on standard input and prints its sha256: digest, for keys made elsewhere.");
        hash.SetAction(_ => Hash(input, output, error));

        var keys = new Command("keys", "Manages the API's clients and their keys.") { create, list, revoke, hash };
        var parsed = new RootCommand("NextEleven.Api") { keys }.Parse(["keys", .. args]);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine(problem.Message);
            }
            error.WriteLine("usage: keys create <id> [--name N] [--tier T] [--expires 90d|DATE] [--file PATH] | keys list [--file PATH] | keys revoke <id> <prefix> [--file PATH] | keys hash");
            return Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static int Create(string id, string? name, string? tier, string? expiresText, string path, ConfigurationManager configuration,
        TextWriter output, TextWriter error)
    {
        DateTimeOffset? expires = null;
        if (expiresText is not null)
        {
            if (ParseExpiry(expiresText) is not { } parsed)
            {
                error.WriteLine($"usage: --expires takes a number of days from 1 to 36500 (90d) or a date (2027-03-01), not '{expiresText}'.");
                return Usage;
            }
            if (parsed <= DateTimeOffset.UtcNow)
            {
                error.WriteLine($"usage: --expires {expiresText} is in the past: the key would never work.");
                return Usage;
            }
            expires = parsed;
        }
        return OnFile(path, error, writes: true, () => CreateLocked(id, name, tier, expires, path, configuration, output, error));
    }

    private static int CreateLocked(string id, string? name, string? tier, DateTimeOffset? expires, string path,
        ConfigurationManager configuration, TextWriter output, TextWriter error)
    {
        var file = ClientsFileEditor.ReadOrEmpty(path, out var problem);
        if (problem is not null)
        {
            error.WriteLine(problem);
            return Failed;
        }
        var client = file.Clients.FirstOrDefault(c => c.Id == id);
        if (client is null)
        {
            client = new ClientJson { Id = id, Name = name, Tier = tier };
            file.Clients.Add(client);
        }
        else
        {
            client.Name = name ?? client.Name;
            client.Tier = tier ?? client.Tier;
        }

        string key;
        do
        {
            key = ClientsFileEditor.NewKey();
        }
        while (client.Keys.Any(k => k.Prefix == ClientsFileEditor.PrefixOf(key)));
        client.Keys.Add(new ApiKeyJson
        {
            Hash = KeyDigest.Of(key).ToString(),
            Prefix = ClientsFileEditor.PrefixOf(key),
            Created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Expires = expires,
        });

        // The service would refuse what this one refuses: never write a file it cannot load.
        if (Problem(file, configuration) is { } refused)
        {
            error.WriteLine($"usage: {refused}");
            return Usage;
        }
        ClientsFileEditor.WriteAtomically(path, file);
        output.WriteLine(key);
        error.WriteLine($"Added key {ClientsFileEditor.PrefixOf(key)} to client '{id}' in {path}. The key is shown only this once.");
        return Done;
    }

    private static int List(string path, TextWriter output, TextWriter error) => OnFile(path, error, writes: false, () =>
    {
        if (ReadExisting(path, error) is not { } file)
        {
            return Failed;
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var client in file.Clients)
        {
            foreach (var key in client.Keys)
            {
                var state = client.Disabled ? "disabled" : key.Expires <= now ? "expired" : "active";
                output.WriteLine(string.Join('\t', client.Id, NameOf(key), Date(key.Created), Date(key.Expires), state));
            }
        }
        return Done;
    });

    private static int Revoke(string id, string prefix, string path, ConfigurationManager configuration, TextWriter output, TextWriter error) =>
        OnFile(path, error, writes: true, () =>
        {
            if (ReadExisting(path, error) is not { } file)
            {
                return Failed;
            }
            if (file.Clients.FirstOrDefault(c => c.Id == id) is not { } client)
            {
                error.WriteLine($"usage: keys revoke <id> <prefix>: there is no client '{id}' in {path}.");
                return Usage;
            }
            // A key is named by its prefix, by the id 'keys list' shows for a key without one, or by its digest.
            var matching = client.Keys.Where(k => NameOf(k) == prefix || k.Hash == prefix).ToList();
            if (matching.Count == 0)
            {
                error.WriteLine($"Client '{id}' has no key with prefix '{prefix}'.");
                return Failed;
            }
            if (matching.Count > 1)
            {
                error.WriteLine($"usage: prefix '{prefix}' names {matching.Count} keys of client '{id}'; revoke one by its hash (sha256:…) instead.");
                return Usage;
            }
            client.Keys.Remove(matching[0]);
            if (Problem(file, configuration) is { } refused)
            {
                error.WriteLine(refused);
                return Failed;
            }
            ClientsFileEditor.WriteAtomically(path, file);
            output.WriteLine($"{id}\t{prefix}\trevoked");
            return Done;
        });

    /// <summary>
    /// Runs a command on the file, under the writers' lock when it <paramref name="writes"/>; a path that
    /// cannot be read or written (a folder, a folder that cannot be made) ends in one line, exit code 1.
    /// </summary>
    private static int OnFile(string path, TextWriter error, bool writes, Func<int> command)
    {
        try
        {
            using var writers = writes ? ClientsFileEditor.Lock(path) : null;
            return command();
        }
        catch (Exception unusable) when (unusable is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{path} cannot be used as the clients file: {unusable.Message}");
            return Failed;
        }
    }

    /// <summary>What a key is called in lists and revocations: its prefix, else the id the service logs it under.</summary>
    private static string NameOf(ApiKeyJson key) =>
        !string.IsNullOrWhiteSpace(key.Prefix) ? key.Prefix
        : KeyDigest.TryParse(key.Hash, out var digest) ? digest.KeyId
        : "-";

    private static int Hash(TextReader input, TextWriter output, TextWriter error)
    {
        // A byte-order mark (Windows editors, PowerShell pipes) is not part of the key.
        var key = input.ReadLine()?.TrimStart('\uFEFF').Trim();
        if (string.IsNullOrEmpty(key))
        {
            error.WriteLine("usage: echo \"$KEY\" | keys hash (the key on standard input)");
            return Usage;
        }
        output.WriteLine(KeyDigest.Of(key).ToString());
        return Done;
    }

    /// <summary>The file as it is, or null (said on standard error) when it is missing or cannot be read.</summary>
    private static ClientsFileJson? ReadExisting(string path, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"{path} does not exist.");
            return null;
        }
        var file = ClientsFileLoader.Read(path, out var problem);
        if (file is null)
        {
            error.WriteLine(problem);
        }
        return file;
    }

    private static string? Problem(ClientsFileJson file, ConfigurationManager configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var environmentKeys = configuration.Get<ApiKeyOptions>() ?? new ApiKeyOptions();
        ClientDirectoryBuilder.Build(environmentKeys, file, limits, out var problem);
        return problem;
    }

    private static DateTimeOffset? ParseExpiry(string text)
    {
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            if (days is < 1 or > 36500)
            {
                return null;
            }
            return DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddDays(days);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    private static string Date(DateTimeOffset? date) =>
        date?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string FileOf(ParseResult result, Option<string> fileOption, ConfigurationManager configuration) =>
        result.GetValue(fileOption)
        ?? configuration.GetSection(ClientsOptions.SectionName).Get<ClientsOptions>()?.File
        ?? "clients.json";
}
