namespace NextEleven.Api.Configuration;

/// <summary>The settings a command of the binary (<c>keys</c>, <c>usage</c>) reads: the service's own, as it reads them when started from the current folder.</summary>
internal static class CommandConfiguration
{
    public static ConfigurationManager? Read(out string problem)
    {
        var folder = Directory.GetCurrentDirectory();
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(folder);
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddJsonFile("appsettings.json", optional: true);
        configuration.AddEnvironmentVariables();
        return configuration.TryAddDotEnvFiles(folder, out problem, out _) ? configuration : null;
    }
}
