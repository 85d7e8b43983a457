using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Budgets;

/// <summary>A reservation of a call's worst-case cost, in micro-dollars, or its refusal (nothing granted).</summary>
internal sealed class SpendReservation(RateLimitPolicy budget, LimitPartition client, string clientId, BudgetResult take, int outputCap)
{
    public RateLimitPolicy Budget { get; } = budget;

    public LimitPartition Client { get; } = client;

    /// <summary>The client id the alert and the gauge name.</summary>
    public string ClientId { get; } = clientId;

    public BudgetResult Take { get; } = take;

    public bool IsGranted => Take.Granted > 0;

    /// <summary>The most output tokens the reservation pays for at the highest output price among the call's targets.</summary>
    public int OutputCap { get; } = outputCap;

    public BudgetBalance Balance { get; } = new(budget, take.Remaining, take.Reset, take.Now);
}
