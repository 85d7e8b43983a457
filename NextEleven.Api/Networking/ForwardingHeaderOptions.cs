namespace NextEleven.Api.Networking;

/// <summary>
/// Section <c>ForwardedHeaders</c>: <c>Header</c> names the one forwarding header the operator's proxy
/// sets: <c>X-Forwarded-For</c> (the default), <c>X-Real-IP</c> or <c>Forwarded</c>. The other two are
/// ignored even from a trusted proxy, because a proxy passes through, untouched, the headers it does not
/// set itself: believing them would let a client choose its own address.
/// </summary>
internal sealed class ForwardingHeaderOptions
{
    public const string SectionName = "ForwardedHeaders";
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XRealIp = "X-Real-IP";
    public const string Forwarded = "Forwarded";

    public static readonly IReadOnlyList<string> Supported = [XForwardedFor, XRealIp, Forwarded];

    public string Header { get; set; } = XForwardedFor;

    /// <summary>The configured header as this service spells it; null when it is none of the three.</summary>
    public string? Canonical => Supported.FirstOrDefault(name => name.Equals(Header?.Trim(), StringComparison.OrdinalIgnoreCase));
}
