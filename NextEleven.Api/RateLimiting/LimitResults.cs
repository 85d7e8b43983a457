namespace NextEleven.Api.RateLimiting;

/// <summary>
/// The limits decided for one request, kept as a request feature: the request limit's decision, then,
/// for a chat call with token or spend budgets, their balances. Each is set once and never changed; the
/// response's limit headers (<see cref="LimitHeaders"/>) and the request log read them from here.
/// </summary>
internal sealed class LimitResults
{
    private LimitResults(RateLimitDecision requests) => Requests = requests;

    public RateLimitDecision Requests { get; }

    /// <summary>The token budget's balance as the call left it; null for a request that has none.</summary>
    public BudgetBalance? Tokens { get; private set; }

    /// <summary>
    /// Keeps <paramref name="requests"/> on the request and has the limit headers written as the response
    /// starts, so they survive an exception handler clearing the headers.
    /// </summary>
    public static LimitResults Record(HttpContext context, RateLimitDecision requests)
    {
        if (context.Features.Get<LimitResults>() is not null)
        {
            throw new InvalidOperationException("A request's limit was already decided.");
        }
        var results = new LimitResults(requests);
        context.Features.Set(results);
        context.Response.OnStarting(static state =>
        {
            var (response, results) = ((HttpResponse, LimitResults))state;
            LimitHeaders.Write(response.Headers, results);
            return Task.CompletedTask;
        }, (context.Response, results));
        return results;
    }

    /// <summary>The spend budget's balance as the call left it (micro-dollars); null for a request that has none.</summary>
    public BudgetBalance? Spend { get; private set; }

    /// <summary>Records the budgets' balances once the call has reserved (a stream) or settled (a whole reply).</summary>
    public void RecordBudgets(BudgetBalance? tokens, BudgetBalance? spend)
    {
        if (Tokens is not null || Spend is not null)
        {
            throw new InvalidOperationException("A request's budget balances were already recorded.");
        }
        Tokens = tokens;
        Spend = spend;
    }
}
