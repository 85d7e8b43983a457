using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Budgets;

/// <summary>A reservation of tokens for one chat call, or its refusal (nothing granted).</summary>
internal sealed class TokenReservation(RateLimitPolicy budget, LimitPartition client, BudgetResult take, long inputEstimate)
{
    public RateLimitPolicy Budget { get; } = budget;

    public LimitPartition Client { get; } = client;

    public BudgetResult Take { get; } = take;

    public bool IsGranted => Take.Granted > 0;

    /// <summary>The output cap to send upstream: what the reservation holds beyond the input estimate.</summary>
    public int OutputCap { get; } = (int)Math.Max(0, take.Granted - inputEstimate);

    public BudgetBalance Balance { get; } = new(budget, take.Remaining, take.Reset, take.Now);
}
