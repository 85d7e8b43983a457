namespace NextEleven.Api.Providers;

/// <summary>Which LLM provider answers chat, and how to reach it (section <c>Chat</c>).</summary>
internal sealed class ChatProviderOptions
{
    public const string SectionName = "Chat";
    public const string OpenAiProvider = "openai";
    public const string XaiEndpoint = "https://api.x.ai/v1";
    public const string DefaultXaiModel = "grok-4";

    /// <summary>
    /// <c>echo</c>, the built-in offline responder, or <c>openai</c>, any OpenAI-compatible endpoint. When
    /// unset: <c>openai</c> if a provider key is configured, else <c>echo</c>.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>The OpenAI-compatible base URL: xAI by default; OpenAI, Ollama, vLLM or LM Studio alike.</summary>
    public Uri Endpoint { get; set; } = new(XaiEndpoint);

    /// <summary>The model asked for when a request names none; a current Grok model on xAI.</summary>
    public string? Model { get; set; }

    /// <summary>Models a request may name with <c>model</c>; the default model alone when empty.</summary>
    public List<string> AllowedModels { get; } = [];

    /// <summary>The provider's key: <c>Chat:ApiKey</c>, else <c>GROK_API_KEY</c>, else <c>XAI_API_KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Bounds one upstream call; for a stream, the wait for each next piece.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a transient failure (5xx, connection), only before any reply byte was received.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>An optional system prompt put before every conversation.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>Largest <c>maxTokens</c> a request may ask for.</summary>
    public int MaxOutputTokens { get; set; } = 32_768;

    /// <summary>Named providers (<c>Chat:Providers:&lt;name&gt;</c>); empty when the one provider above is configured the old way.</summary>
    public Dictionary<string, NamedProviderOptions> Providers { get; } = new(StringComparer.Ordinal);

    /// <summary>Public models and the targets that answer each, in order (<c>Chat:Models:&lt;name&gt;:Targets</c>).</summary>
    [ConfigurationKeyName("Models")]
    public Dictionary<string, ModelRouteOptions> Routes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Prices in USD per million tokens, by target (<c>xai/grok-4</c>) or by model (<c>grok-4</c>), looked up
    /// in that order (<c>Chat:Prices</c>); a target without one reports no cost.
    /// </summary>
    public Dictionary<string, Usage.ModelPrice> Prices { get; } = new(StringComparer.Ordinal);

    /// <summary>When a target is skipped, and for how long (<c>Chat:Breaker</c>).</summary>
    public BreakerOptions Breaker { get; set; } = new();

    /// <summary>Whether providers are configured by name, with routes and fallback.</summary>
    public bool HasNamedProviders => Providers.Count > 0;

    /// <summary>The price of a target: by its name (<c>provider/model</c>), else by its model; null when the operator set none.</summary>
    public Usage.ModelPrice? PriceOf(string target, string model) =>
        Prices.TryGetValue(target, out var byTarget) ? byTarget
        : Prices.TryGetValue(model, out var byModel) ? byModel
        : null;

    /// <summary>The targets a request can be routed to that have no price (the offline responder costs nothing), in order.</summary>
    public IEnumerable<string> UnpricedTargets()
    {
        if (!HasNamedProviders)
        {
            // A model left unset is the provider validator's to report.
            return IsEcho ? [] : Models.Where(model => model is not null && PriceOf(ProviderLabel + "/" + model, model) is null)
                .Select(model => ProviderLabel + "/" + model);
        }
        return Routes.Values.SelectMany(route => route.Targets).Distinct(StringComparer.Ordinal)
            .Where(target => PriceOf(target, ChatRoutes.Split(target).Model) is null);
    }

    public bool IsEcho => string.Equals(Provider, EchoChatClient.ProviderName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The provider's name as replies and env-status report it: echo, xai, openai or openai-compatible.</summary>
    public string ProviderLabel => IsEcho ? EchoChatClient.ProviderName : Endpoint.Host switch
    {
        "api.x.ai" => "xai",
        "api.openai.com" => "openai",
        _ => "openai-compatible",
    };

    /// <summary>
    /// The models a request may name, the default first: <c>Chat:AllowedModels</c> when set, else every
    /// public model of <c>Chat:Models</c> (with named providers), else the default alone.
    /// </summary>
    public IReadOnlyList<string> Models =>
        [.. new[] { Model! }.Concat(AllowedModels.Count > 0 || !HasNamedProviders ? AllowedModels : Routes.Keys).Distinct(StringComparer.Ordinal)];
}
