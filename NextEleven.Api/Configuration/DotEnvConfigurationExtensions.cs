using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace NextEleven.Api.Configuration;

public static class DotEnvConfigurationExtensions
{
    /// <summary>
    /// Reads <c>.env</c> then <c>.env.local</c> from the content root (both optional) and slots them in
    /// just below the environment variables, so the precedence is: command line, environment,
    /// <c>.env.local</c>, <c>.env</c>, appsettings. Parsing is DotNetEnv's; nothing is written to the
    /// process environment. <c>Section__Key</c> names map to <c>Section:Key</c> as for real variables.
    /// A file that cannot be parsed is reported by name and position, never by its content.
    /// </summary>
    public static bool TryAddDotEnvFiles(this IConfigurationManager configuration, string contentRoot, out string problem)
    {
        problem = string.Empty;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { ".env", ".env.local" })
        {
            var path = Path.Combine(contentRoot, file);
            if (!File.Exists(path))
            {
                continue;
            }
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
                problem = $"{file} cannot be parsed at line {unparsable.Position.Line}, column {unparsable.Position.Column}: "
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
