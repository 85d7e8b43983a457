using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Budgets;

/// <summary>
/// Budgets of money per client and window, counted in micro-dollars on the same store and with the same
/// reserve-and-settle steps as token budgets. A call reserves its worst case before it goes upstream (the
/// input estimate at the highest input price among its targets, plus its output cap at the highest output
/// price), with the output cap lowered so that the worst case fits what is left; it is settled to the
/// cost of the target that answered. Concurrent calls therefore never spend more than the budget, beyond
/// what the input estimate fell short by. Crossing <c>RateLimit:Spend:AlertAt</c> is logged once per
/// client and window, and every client's share used is a gauge.
/// </summary>
internal sealed partial class SpendBudget
{
    /// <summary>The spend budget's name in the store and the metrics, whatever level set it.</summary>
    public const string PolicyName = "spend";

    /// <summary>Without <c>RateLimit:Spend:AlertAt</c>: 80%.</summary>
    public const decimal DefaultAlertAt = 0.8m;

    // Bounds the alert and gauge bookkeeping for anonymous callers, whose partitions are addresses.
    private const int MaxWatchedClients = 100_000;

    private readonly IRateLimitStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<SpendBudget> _logger;
    private readonly decimal _alertAt;
    private readonly Dictionary<string, Spent> _spent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SpendBudget(IRateLimitStore store, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<SpendBudget> logger,
        IMeterFactory meterFactory)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _alertAt = options.Value.Spend.AlertAt ?? DefaultAlertAt;
        Default = PolicyFor(null, null, options.Value);
        // Exported as nexteleven_spend_budget_used_ratio: a unit in braces adds no suffix.
        meterFactory.Create(RateLimitMetrics.MeterName).CreateObservableGauge("nexteleven.spend_budget_used_ratio", ObserveUsed, "{ratio}",
            "The share of its spend budget each client has used in the current window (0 to 1), by client id.");
    }

    /// <summary>The budget of a request whose client sets none of its own: <c>RateLimit:Spend</c>, or null when off.</summary>
    public RateLimitPolicy? Default { get; }

    /// <summary>A client's budget: its own limits, else its tier's, else <c>RateLimit:Spend</c>, field by field; null when no level sets a limit.</summary>
    public static RateLimitPolicy? PolicyFor(SpendLimitOptions? own, SpendLimitOptions? tier, RateLimitOptions limits)
    {
        if ((own?.Limit ?? tier?.Limit ?? limits.Spend.Limit) is not { } limit)
        {
            return null;
        }
        var micros = MicroDollars.FloorOf(limit);
        var windowText = own?.Window ?? tier?.Window ?? limits.Spend.Window;
        if (windowText is null)
        {
            return new RateLimitPolicy(PolicyName, micros, SpendLimitOptions.DefaultWindow);
        }
        if (!SpendLimitOptions.TryParseWindow(windowText, out var window))
        {
            // Validated at start, and for the clients file when it is read: this is a bug.
            throw new InvalidOperationException($"Spend window '{windowText}' was not validated.");
        }
        return window is { } span ? new RateLimitPolicy(PolicyName, micros, span) : RateLimitPolicy.PerCalendarMonth(PolicyName, micros);
    }

    /// <summary>
    /// Reserves the call's worst case; granted when its input estimate and one output token fit. Prices are
    /// USD per million tokens, that is micro-dollars per token: the highest among the targets the call may go to.
    /// </summary>
    public async ValueTask<SpendReservation> ReserveAsync(RateLimitPolicy budget, LimitPartition client, string clientId,
        long inputEstimate, int outputCap, decimal inputPrice, decimal outputPrice)
    {
        var input = inputEstimate * inputPrice;
        var minimum = Math.Max(1, (long)decimal.Ceiling(input + outputPrice));
        var maximum = Math.Max(minimum, (long)decimal.Ceiling(input + outputCap * outputPrice));
        var take = await _store.ReserveBudgetAsync(budget, client, minimum, maximum).ConfigureAwait(false);
        var cap = outputCap;
        if (take.Granted > 0 && outputPrice > 0)
        {
            // What the grant pays for beyond the input: at least one token, since the grant covers the minimum.
            cap = (int)Math.Clamp(decimal.Floor((take.Granted - input) / outputPrice), 1, outputCap);
        }
        if (take.Granted == 0)
        {
            // A refusal tells what is used; a grant holds a worst case that its settlement corrects.
            Watch(budget, clientId, take);
        }
        return new SpendReservation(budget, client, clientId, take, cap);
    }

    /// <summary>
    /// Settles a granted reservation to <paramref name="cost"/> (USD, whole micro-dollars); without a cost, a
    /// call that delivered output keeps its reservation and one that did not gives it back.
    /// </summary>
    public async ValueTask<BudgetBalance> SettleAsync(SpendReservation reservation, decimal? cost, bool delivered)
    {
        var spent = cost is { } usd ? MicroDollars.FromUsd(usd) : delivered ? reservation.Take.Granted : 0;
        var correction = spent - reservation.Take.Granted;
        if (correction == 0)
        {
            Watch(reservation.Budget, reservation.ClientId, reservation.Take);
            return reservation.Balance;
        }
        var take = await _store.SettleBudgetAsync(reservation.Budget, reservation.Client, reservation.Take, correction).ConfigureAwait(false);
        Watch(reservation.Budget, reservation.ClientId, take);
        return new BudgetBalance(reservation.Budget, take.Remaining, take.Reset, take.Now);
    }

    /// <summary>Keeps what the client has used for the gauge, and logs the crossing of the alert threshold once per window.</summary>
    private void Watch(RateLimitPolicy budget, string clientId, BudgetResult take)
    {
        var used = budget.PermitLimit - take.Remaining;
        bool crossed;
        lock (_gate)
        {
            var known = _spent.TryGetValue(clientId, out var before);
            if (!known && _spent.Count >= MaxWatchedClients)
            {
                return;
            }
            var alerted = known && before!.Reset == take.Reset && before.Alerted;
            crossed = !alerted && used >= _alertAt * budget.PermitLimit;
            if (!known)
            {
                before = new Spent();
                _spent[clientId] = before;
            }
            // Updated in place: this runs at every settlement.
            before!.Budget = budget;
            before.Used = used;
            before.Reset = take.Reset;
            before.Alerted = alerted || crossed;
        }
        if (crossed)
        {
            Log.AlertCrossed(_logger, clientId, (double)used / budget.PermitLimit, MicroDollars.Format(budget.PermitLimit), budget.WindowInWords,
                budget.FormatReset(take.Reset));
        }
    }

    private List<Measurement<double>> ObserveUsed()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // A window that is over is unspent until the client's next call says otherwise.
            return _spent.Select(entry => new Measurement<double>(
                entry.Value.Reset > now ? Math.Min(1, (double)entry.Value.Used / entry.Value.Budget.PermitLimit) : 0,
                new KeyValuePair<string, object?>("client", entry.Key))).ToList();
        }
    }

    /// <summary>What a client has used of its current window, as its last settlement or refusal said; guarded by the gate.</summary>
    private sealed class Spent
    {
        public RateLimitPolicy Budget { get; set; } = null!;

        public long Used { get; set; }

        public DateTimeOffset Reset { get; set; }

        public bool Alerted { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Client {ClientId} has used {Share:P0} of its spend budget (${Limit} {Window}); it refills at {Reset}")]
        public static partial void AlertCrossed(ILogger logger, string clientId, double share, string limit, string window, string reset);
    }
}
