using System.Net;

namespace NextEleven.Api.Networking;

/// <summary>
/// <c>TrustedProxies</c>: the proxies (IPs or CIDRs) whose forwarding headers are believed. Empty by
/// default, so a client can never pick its own address (and with it a fresh rate-limit budget).
/// </summary>
internal sealed class TrustedProxiesOptions
{
    public const string SectionName = "TrustedProxies";

    public List<string> Entries { get; } = [];

    /// <summary>Each entry as a network (a bare IP is a /32 or /128); null when an entry does not parse.</summary>
    public static IPNetwork? Parse(string entry)
    {
        var text = entry.Trim();
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        return IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }
}
