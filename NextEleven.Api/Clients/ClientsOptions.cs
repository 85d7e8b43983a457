namespace NextEleven.Api.Clients;

/// <summary>Section <c>Clients</c>: where the clients file is.</summary>
internal sealed class ClientsOptions
{
    public const string SectionName = "Clients";

    /// <summary>The clients file; a relative path is taken from the content root. Unset: only the environment's key.</summary>
    public string? File { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(File);

    public string FullPath(string contentRoot) => Path.GetFullPath(File!, contentRoot);
}
