using System.Net;
using Microsoft.Extensions.Primitives;

namespace NextEleven.Api.Networking;

/// <summary>
/// The client address from the two forwarding headers ASP.NET Core's middleware does not read: RFC 7239
/// <c>Forwarded: for=…</c> and nginx's <c>X-Real-IP</c>, each read only when the operator names it. Like
/// the framework does for X-Forwarded-For, it believes them from trusted peers only, walking back
/// through trusted proxies, so an untrusted peer (or a client writing its own entry in front of the
/// proxy's) is never believed.
/// </summary>
internal static class ForwardedClientAddress
{
    /// <summary><c>Forwarded: for=…</c>, walked back from the peer through trusted hops.</summary>
    public static IPAddress FromForwarded(IHeaderDictionary headers, IPAddress peer, Func<IPAddress, bool> isTrusted)
    {
        var forwarded = headers["Forwarded"];
        if (!isTrusted(peer) || StringValues.IsNullOrEmpty(forwarded))
        {
            return peer;
        }
        var hops = ForwardedFor(forwarded);
        var current = peer;
        for (var i = hops.Count - 1; i >= 0 && isTrusted(current); i--)
        {
            if (!TryParseNode(hops[i], out var address))
            {
                break; // "unknown" or an obfuscated name: nothing further back can be trusted
            }
            current = address;
        }
        return current;
    }

    /// <summary><c>X-Real-IP</c>: one address, which the trusted proxy in front sets (overwriting any the client sent).</summary>
    public static IPAddress FromRealIp(IHeaderDictionary headers, IPAddress peer, Func<IPAddress, bool> isTrusted)
    {
        var realIp = headers["X-Real-IP"];
        return isTrusted(peer) && realIp.Count == 1 && TryParseNode(realIp[0]!, out var real) ? real : peer;
    }

    /// <summary>Every <c>for=</c> value of the header's elements, nearest hop last.</summary>
    private static List<string> ForwardedFor(StringValues values)
    {
        var hops = new List<string>();
        foreach (var value in values)
        {
            foreach (var element in (value ?? string.Empty).Split(','))
            {
                foreach (var pair in element.Split(';'))
                {
                    var separator = pair.IndexOf('=', StringComparison.Ordinal);
                    if (separator > 0 && pair.AsSpan(0, separator).Trim().Equals("for", StringComparison.OrdinalIgnoreCase))
                    {
                        hops.Add(pair[(separator + 1)..].Trim().Trim('"'));
                    }
                }
            }
        }
        return hops;
    }

    /// <summary>An RFC 7239 node: <c>192.0.2.60</c>, <c>192.0.2.60:8080</c>, <c>[2001:db8::1]</c>, <c>[2001:db8::1]:4711</c>.</summary>
    private static bool TryParseNode(string node, out IPAddress address)
    {
        var text = node.AsSpan().Trim();
        if (text.StartsWith("["))
        {
            var end = text.IndexOf(']');
            text = end > 0 ? text[1..end] : ReadOnlySpan<char>.Empty;
        }
        else if (text.IndexOf(':') is var colon and > 0 && text.LastIndexOf(':') == colon)
        {
            text = text[..colon]; // IPv4 with a port
        }
        return IPAddress.TryParse(text, out address!);
    }
}
