using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Clients;

/// <summary>
/// One consumer of the API: its id (what logs and metrics name it by), its rate-limit policy, token and
/// spend budgets, and the models it may use. Every key of a client draws on the budgets of <see cref="Partition"/>.
/// </summary>
internal sealed class ApiClient(string id, string? name, RateLimitPolicy policy, RateLimitPolicy? tokenBudget,
    RateLimitPolicy? spendBudget, IReadOnlyList<string>? models, bool disabled)
{
    public string Id { get; } = id;

    public string? Name { get; } = name;

    public RateLimitPolicy Policy { get; } = policy;

    /// <summary>The client's budget of LLM tokens per window; null when none is set at any level.</summary>
    public RateLimitPolicy? TokenBudget { get; } = tokenBudget;

    /// <summary>The client's budget of money per window, in micro-dollars; null when none is set at any level.</summary>
    public RateLimitPolicy? SpendBudget { get; } = spendBudget;

    /// <summary>The models this client may name, null for all of <c>Chat:AllowedModels</c>.</summary>
    public IReadOnlyList<string>? Models { get; } = models;

    public bool Disabled { get; } = disabled;

    public LimitPartition Partition { get; } = LimitPartition.FromClient(id);

    public bool MayUse(string model) => Models is null || Models.Contains(model, StringComparer.Ordinal);
}
