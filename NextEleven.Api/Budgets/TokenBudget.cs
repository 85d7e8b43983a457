using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Budgets;

/// <summary>
/// Budgets of LLM tokens per client and window, on the same store as the request limits. A chat call
/// reserves its input estimate plus its output cap before it goes upstream (the cap lowered to what is
/// left), and is settled to the provider's reported usage when it ends: so concurrent calls never spend
/// more than the budget, beyond what the input estimate fell short by.
/// </summary>
internal sealed class TokenBudget(IRateLimitStore store, IOptions<RateLimitOptions> options)
{
    /// <summary>The token budget's name in the IETF headers, whatever level set it.</summary>
    public const string PolicyName = "tokens";

    /// <summary>The budget of a request whose client sets none of its own: <c>RateLimit:Tokens</c>, or null when off.</summary>
    public RateLimitPolicy? Default { get; } = PolicyFor(null, null, options.Value);

    /// <summary>A client's budget: its own limits, else its tier's, else <c>RateLimit:Tokens</c>, field by field; null when no level sets a permit limit.</summary>
    public static RateLimitPolicy? PolicyFor(TokenLimitOptions? own, TokenLimitOptions? tier, RateLimitOptions limits)
    {
        var permitLimit = own?.PermitLimit ?? tier?.PermitLimit ?? limits.Tokens.PermitLimit;
        return permitLimit is { } limit
            ? new RateLimitPolicy(PolicyName, limit, own?.Window ?? tier?.Window ?? limits.Tokens.Window ?? TokenLimitOptions.DefaultWindow)
            : null;
    }

    /// <summary>
    /// Reserves the input estimate plus up to <paramref name="outputCap"/> output tokens; granted when at
    /// least one output token is left after the estimate.
    /// </summary>
    public async ValueTask<TokenReservation> ReserveAsync(RateLimitPolicy budget, LimitPartition client, long inputEstimate, long outputCap)
    {
        var take = await store.ReserveBudgetAsync(budget, client, inputEstimate + 1, inputEstimate + outputCap).ConfigureAwait(false);
        return new TokenReservation(budget, client, take, inputEstimate);
    }

    /// <summary>Settles a granted reservation to what the call really used; returns the balance after it.</summary>
    public async ValueTask<BudgetBalance> SettleAsync(TokenReservation reservation, long used)
    {
        var correction = used - reservation.Take.Granted;
        if (correction == 0)
        {
            return reservation.Balance;
        }
        var take = await store.SettleBudgetAsync(reservation.Budget, reservation.Client, reservation.Take, correction).ConfigureAwait(false);
        return new BudgetBalance(reservation.Budget, take.Remaining, take.Reset, take.Now);
    }
}
