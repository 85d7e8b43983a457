namespace NextEleven.Api.Clients;

/// <summary>The clients file's log lines: loads, reloads and refusals, never a key.</summary>
internal static partial class ClientsLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem} The clients and keys in force are unchanged")]
    public static partial void ReloadRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem} No key is accepted until the file is fixed")]
    public static partial void LockedOut(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clients file loaded: {Clients} clients, {Keys} keys in force")]
    public static partial void Reloaded(ILogger logger, int clients, int keys);
}
