namespace NextEleven.Api.Configuration;

/// <summary>The configuration's log lines: which .env files were read.</summary>
internal static partial class ConfigurationLog
{
    /// <summary>Names each .env file read, never a value from it.</summary>
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Settings read from {DotEnvFile}")]
    public static partial void ReadDotEnvFile(ILogger logger, string dotEnvFile);

    public static void ReadDotEnvFiles(this WebApplication app, IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            ReadDotEnvFile(app.Logger, file);
        }
    }
}
