namespace NextEleven.Api.Security;

/// <summary>
/// Section <c>Cors</c>: browser origins allowed to call the API directly. Empty by default, so no
/// browser page on another origin can use the API (server-side clients are unaffected by CORS).
/// </summary>
internal sealed class ApiCorsOptions
{
    public const string SectionName = "Cors";

    public List<string> AllowedOrigins { get; } = [];
}
