namespace NextEleven.Api.Operations;

/// <summary>
/// Section <c>Management</c>: <c>Urls</c> are the listener(s) that serve the Prometheus scrape endpoint
/// <c>/metrics</c>, never the public one (<c>http://127.0.0.1:9464</c>, or <c>http://+:9464</c> for every
/// interface; several separated by ';'). Unset: no scrape endpoint.
/// </summary>
internal sealed class ManagementOptions
{
    public const string SectionName = "Management";

    public string? Urls { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Urls);

    /// <summary>Each URL as written (Kestrel takes the wildcard hosts <c>+</c> and <c>*</c> as they are).</summary>
    public IReadOnlyList<string> Listeners => (Urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The port of each listener; null when a URL is not an absolute http(s) URL with a port.</summary>
    public IReadOnlyList<int>? Ports => PortsOf(Listeners);

    /// <summary>
    /// The public listener's URLs as the host reads them (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, else
    /// Kestrel's default), which the management listener must not share a port with: connections are told
    /// apart by the port they arrive on.
    /// </summary>
    public static IReadOnlyList<string> PublicUrls(IConfiguration configuration) =>
        (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The port of each URL; null when one is not an absolute http(s) URL with a port.</summary>
    public static IReadOnlyList<int>? PortsOf(IEnumerable<string> urls)
    {
        var ports = new List<int>();
        foreach (var url in urls)
        {
            // Uri cannot read Kestrel's wildcard hosts; any concrete host stands in to read the port.
            var concrete = url.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal);
            if (!Uri.TryCreate(concrete, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.IsDefaultPort || uri.Port <= 0)
            {
                return null;
            }
            ports.Add(uri.Port);
        }
        return ports;
    }
}
