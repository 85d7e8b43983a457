using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace NextEleven.Api.Configuration;

/// <summary>Adds the .env files to the configuration.</summary>
internal static class DotEnvConfigurationExtensions
{
    /// <summary>
    /// Reads <c>.env</c> then <c>.env.local</c> (both optional) from the content root and, when it differs,
    /// from the current directory, whose values win: <c>dotnet run --project NextEleven.Api</c> at the
    /// repository root runs with the project folder as its content root, and the <c>.env.local</c> an
    /// operator writes beside <c>.env.example</c> must count. They slot in just below the environment
    /// variables, so the precedence is: command line, environment, <c>.env.local</c>, <c>.env</c>,
    /// appsettings. Parsing is DotNetEnv's; nothing is written to the process environment.
    /// <c>Section__Key</c> names map to <c>Section:Key</c> as for real variables. A file that cannot be
    /// parsed is reported by name and position, never by its content. <paramref name="read"/> names the
    /// files read, for the start-up log.
    /// </summary>
    public static bool TryAddDotEnvFiles(this IConfigurationManager configuration, string contentRoot, out string problem,
        out IReadOnlyList<string> read)
    {
        problem = string.Empty;
        var files = new List<string>();
        read = files;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var folders = new[] { Path.GetFullPath(contentRoot), Path.GetFullPath(Directory.GetCurrentDirectory()) }
            .Select(folder => Path.TrimEndingDirectorySeparator(folder)).Distinct(StringComparer.Ordinal);
        foreach (var path in folders.SelectMany(folder => new[] { Path.Combine(folder, ".env"), Path.Combine(folder, ".env.local") }))
        {
            if (!File.Exists(path))
            {
                continue;
            }
            files.Add(path);
            var options = new DotNetEnv.LoadOptions(setEnvVars: false, clobberExistingVars: true, onlyExactPath: true);
            try
            {
                foreach (var (key, value) in DotNetEnv.Env.Load(path, options))
                {
                    values[key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
                }
            }
            catch (Sprache.ParseException unparsable)
            {
                problem = $"{path} cannot be parsed at line {unparsable.Position.Line}, column {unparsable.Position.Column}: "
                    + "check its quotes (a value with spaces, '#' or '$' goes in single quotes).";
                return false;
            }
        }
        if (values.Count == 0)
        {
            return true;
        }

        var source = new MemoryConfigurationSource { InitialData = values };
        var sources = configuration.Sources;
        // The unprefixed source holds the app's variables; the DOTNET_/ASPNETCORE_ ones sit below appsettings.
        var environmentSource = sources.ToList().FindIndex(
            s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(environmentSource < 0 ? sources.Count : environmentSource, source);
        return true;
    }
}
