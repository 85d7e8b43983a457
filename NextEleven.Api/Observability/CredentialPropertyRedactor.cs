using Serilog.Core;
using Serilog.Events;

namespace NextEleven.Api.Observability;

/// <summary>
/// A last line of defence for any library that logs HTTP headers as properties: a property named after
/// a credential header keeps its name, never its value, in every sink and at every level.
/// </summary>
public sealed class CredentialPropertyRedactor : ILogEventEnricher
{
    private static readonly string[] CredentialNames = ["Authorization", "Proxy-Authorization", "X-API-Key", "Api-Key", "Cookie", "Set-Cookie"];
    private static readonly ScalarValue Redacted = new("[redacted]");

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var name in CredentialNames)
        {
            foreach (var key in logEvent.Properties.Keys.Where(key => key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(key, Redacted));
            }
        }
    }
}
