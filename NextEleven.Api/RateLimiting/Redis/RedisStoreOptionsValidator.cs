using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Refuses a connection string that could never reach a server, before the first request rather than at
/// it: StackExchange.Redis reads <c>=,=</c> or <c>host:notaport</c> without complaint and would keep the
/// service in fallback forever, each instance counting alone.
/// </summary>
internal sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
{
    private const string Setting = "ConnectionStrings:Redis";

    public static string? ProblemOf(string connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            return $"{Setting} is set but blank: remove it to count in memory, or name a server (host:port, e.g. localhost:6379).";
        }
        var servers = 0;
        foreach (var part in connection.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0)
            {
                return $"{Setting} has an empty part between commas (expected host:port[,option=value...]).";
            }
            if (part.Contains('='))
            {
                if (part.StartsWith('='))
                {
                    return $"{Setting} has an option without a name (expected option=value, e.g. password=...).";
                }
                continue;
            }
            if (!IsEndpoint(part))
            {
                return $"{Setting} names the server '{part}', which is not host or host:port with a port from 1 to 65535.";
            }
            servers++;
        }
        if (servers == 0)
        {
            return $"{Setting} names no server (expected host:port, e.g. localhost:6379).";
        }
        try
        {
            ConfigurationOptions.Parse(connection);
        }
        catch (ArgumentException invalid)
        {
            // The parser names the offending keyword, never a password's value.
            return $"{Setting} is not a valid StackExchange.Redis configuration string: {invalid.Message}";
        }
        return null;
    }

    /// <summary>host, host:port, an IP address, or [IPv6]:port, with a port from 1 to 65535.</summary>
    private static bool IsEndpoint(string part)
    {
        if (System.Net.IPAddress.TryParse(part, out _) && !part.StartsWith('['))
        {
            return true;
        }
        string host;
        string? port = null;
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !System.Net.IPAddress.TryParse(part[1..close], out _) || (close + 1 < part.Length && part[close + 1] != ':'))
            {
                return false;
            }
            host = part[1..close];
            port = close + 1 < part.Length ? part[(close + 2)..] : null;
        }
        else
        {
            var colon = part.LastIndexOf(':');
            host = colon < 0 ? part : part[..colon];
            port = colon < 0 ? null : part[(colon + 1)..];
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }
        return port is null || int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var number) && number is >= 1 and <= 65535;
    }

    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        var failures = new List<string>();
        if (options.ConnectionString is { } connection && ProblemOf(connection) is { } problem)
        {
            failures.Add(problem);
        }
        if (options.KeyPrefix.IndexOfAny(['{', '}']) >= 0 || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add("RateLimit:Redis:KeyPrefix must not contain braces or white space (keys are hash-tagged per client).");
        }
        if (options.Timeout < TimeSpan.FromMilliseconds(1) || options.Timeout > TimeSpan.FromSeconds(10))
        {
            failures.Add("RateLimit:Redis:Timeout must be from 00:00:00.001 to 00:00:10.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
