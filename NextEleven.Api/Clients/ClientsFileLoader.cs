using System.Text.Json;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Clients;

/// <summary>Reads, parses and checks the clients file: a whole directory, or one line saying what is wrong.</summary>
internal static class ClientsFileLoader
{
    public static ClientDirectory? Load(string? path, ApiKeyOptions environmentKeys, RateLimitOptions limits, out string? problem,
        string? unpricedTarget = null)
    {
        ClientsFileJson? file = null;
        if (path is not null)
        {
            file = Read(path, out problem);
            if (file is null)
            {
                return null;
            }
        }
        var directory = ClientDirectoryBuilder.Build(environmentKeys, file, limits, out problem, unpricedTarget);
        if (problem is not null)
        {
            problem = $"Clients file {path}: {problem}";
            return null;
        }
        return directory;
    }

    public static ClientsFileJson? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize(stream, ClientsJsonContext.Default.ClientsFileJson);
            if (file?.Clients is null)
            {
                problem = $"Clients file {path}: expected an object with a \"clients\" list.";
            }
            return problem is null ? file : null;
        }
        catch (JsonException invalid)
        {
            problem = $"Clients file {path}: {Describe(invalid)}";
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            problem = $"Clients file {path} cannot be read: {unreadable.Message}";
        }
        return null;
    }

    /// <summary>Where and what, in the file's terms rather than the parser's (no .NET type names).</summary>
    private static string Describe(JsonException invalid)
    {
        var where = $"at {invalid.Path ?? "$"} (line {invalid.LineNumber + 1})";
        var message = invalid.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = message.Split('\'') is { Length: > 2 } parts ? parts[1] : "?";
            return $"unknown field '{name}' {where}; keys are stored only as \"hash\": \"sha256:...\".";
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"a property is given twice {where}; each may appear once.";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return invalid.Path?.EndsWith("created", StringComparison.Ordinal) == true || invalid.Path?.EndsWith("expires", StringComparison.Ordinal) == true
                ? $"the value {where} is not a date (ISO 8601, e.g. 2027-03-01T00:00:00Z)."
                : $"the value {where} has the wrong type.";
        }
        return $"not valid JSON {where}.";
    }
}
