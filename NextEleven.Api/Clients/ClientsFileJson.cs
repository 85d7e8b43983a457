using System.Text.Json.Serialization;

namespace NextEleven.Api.Clients;

/// <summary>The clients file as written on disk (<c>Clients:File</c>): every client, its keys as digests only.</summary>
internal sealed class ClientsFileJson
{
    public List<ClientJson> Clients { get; set; } = [];
}

/// <summary>One client of the clients file: its id, limits, models and keys.</summary>
internal sealed class ClientJson
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Tier { get; set; }

    public ClientLimitsJson? Limits { get; set; }

    /// <summary>Narrows <c>Chat:AllowedModels</c> for this client; null allows them all.</summary>
    public List<string>? Models { get; set; }

    public bool Disabled { get; set; }

    public List<ApiKeyJson> Keys { get; set; } = [];
}

/// <summary>A client's own request limits in the clients file; what it leaves out comes from its tier or the defaults.</summary>
internal sealed class ClientLimitsJson
{
    public int? PermitLimit { get; set; }

    public string? Window { get; set; }

    public TokenLimitsJson? Tokens { get; set; }

    public SpendLimitsJson? Spend { get; set; }
}

/// <summary>A client's own token budget in the clients file.</summary>
internal sealed class TokenLimitsJson
{
    public long? PermitLimit { get; set; }

    public string? Window { get; set; }
}

/// <summary>A client's own spend budget in the clients file: USD per window (a TimeSpan or <c>month</c>).</summary>
internal sealed class SpendLimitsJson
{
    public decimal? Limit { get; set; }

    public string? Window { get; set; }
}

/// <summary>One key: its SHA-256 digest (never the key), a short prefix that names it, and its dates.</summary>
internal sealed class ApiKeyJson
{
    public string? Hash { get; set; }

    public string? Prefix { get; set; }

    public DateTimeOffset? Created { get; set; }

    public DateTimeOffset? Expires { get; set; }
}
