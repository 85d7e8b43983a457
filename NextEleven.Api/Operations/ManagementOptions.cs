namespace NextEleven.Api.Operations;

/// <summary>
/// Section <c>Management</c>: <c>Urls</c> are the listener(s) that serve the Prometheus scrape endpoint
/// <c>/metrics</c>, never the public one (<c>http://127.0.0.1:9464</c>; several separated by ';').
/// Unset: no scrape endpoint.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    public string? Urls { get; set; }

    public IReadOnlyList<Uri> Listeners => [.. (Urls ?? "")
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(url => new Uri(url))];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Urls);
}
