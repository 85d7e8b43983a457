using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Usage;

/// <summary>
/// On the in-memory store, puts back at start what each client's current token and spend windows already
/// used, as the ledger recorded it, so that a restart never hands a client a fresh budget. The ledger
/// counts per UTC day, so this covers windows that begin at a UTC midnight: whole days (the token
/// budget's default, a day, and the spend budget's, 30 days) and calendar months; a window shorter than a
/// day starts afresh, as before. On Redis the budgets outlive any instance, and there is nothing to rebuild.
/// </summary>
internal sealed partial class BudgetRebuild(IRateLimitStore store, ClientRegistry clients, IUsageLedger ledger, TimeProvider time,
    ILogger<BudgetRebuild> logger) : IHostedService
{
    private const long DayMilliseconds = 86_400_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not MemoryRateLimitStore memory)
        {
            return;
        }
        var now = time.GetUtcNow();
        var budgets = clients.Current.Clients
            .SelectMany(client => new[]
            {
                (Client: client, Budget: client.TokenBudget, Spend: false),
                (Client: client, Budget: client.SpendBudget, Spend: true),
            })
            .Where(entry => entry.Budget is { } budget && (budget.IsCalendarMonth || budget.WindowMilliseconds % DayMilliseconds == 0))
            .Select(entry => (entry.Client, Budget: entry.Budget!, entry.Spend,
                Start: DateOnly.FromDateTime(entry.Budget!.WindowStart(entry.Budget.WindowIndexAt(now.ToUnixTimeMilliseconds())).UtcDateTime)))
            .ToList();
        if (budgets.Count == 0)
        {
            return;
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>> rows;
        try
        {
            rows = await ledger.ReadAsync(clientId: null, budgets.Min(entry => entry.Start), today, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not a reason to stay down: the budgets start afresh, as they did before there was a ledger.
            Log.Unreadable(logger, exception.GetType().Name, exception.Message);
            return;
        }
        var byClient = rows.ToLookup(row => row.Key.ClientId, StringComparer.Ordinal);
        var rebuilt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (client, budget, spend, start) in budgets)
        {
            var used = byClient[client.Id].Where(row => row.Key.Day >= start)
                .Sum(row => spend ? row.Value.CostMicros : row.Value.InputTokens + row.Value.OutputTokens);
            if (used > 0)
            {
                // A reservation that is never settled: the window counts what the ledger says it used.
                memory.ReserveBudget(budget, client.Partition, 0, used);
                rebuilt.Add(client.Id);
            }
        }
        if (rebuilt.Count > 0)
        {
            Log.Rebuilt(logger, rebuilt.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Token and spend budgets of {Clients} clients carry on from the usage ledger")]
        public static partial void Rebuilt(ILogger logger, int clients);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The usage ledger could not be read at start ({Error}: {Reason}): token and spend budgets start afresh")]
        public static partial void Unreadable(ILogger logger, string error, string reason);
    }
}
