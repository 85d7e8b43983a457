using Serilog.Core;
using Serilog.Events;

namespace NextEleven.Api.Observability;

/// <summary>
/// A last line of defence for any library that logs HTTP headers as properties: a property named after
/// a credential header keeps its name, never its value, in every sink and at every level. It runs on
/// every event, so it looks at each name once, by length first, and allocates only on a match.
/// </summary>
internal sealed class CredentialPropertyRedactor : ILogEventEnricher
{
    private static readonly ScalarValue Redacted = new("[redacted]");

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<string>? credentials = null;
        foreach (var property in logEvent.Properties)
        {
            if (IsCredential(property.Key))
            {
                (credentials ??= []).Add(property.Key);
            }
        }
        foreach (var name in credentials ?? [])
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, Redacted));
        }
    }

    private static bool IsCredential(string name) => name.Length switch
    {
        6 => name.Equals("Cookie", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("Api-Key", StringComparison.OrdinalIgnoreCase),
        9 => name.Equals("X-API-Key", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase),
        13 => name.Equals("Authorization", StringComparison.OrdinalIgnoreCase),
        19 => name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
