using System.Net;
using System.Net.Sockets;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>Loopback ports for servers a test starts itself, or for a server that must not be there.</summary>
internal static class LoopbackPort
{
    /// <summary>A loopback port free a moment ago: nothing listens on it until the test starts something there.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
