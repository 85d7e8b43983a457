using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Usage;

/// <summary>
/// On the in-memory store, puts back at start what each client's current token window already spent, as
/// the ledger recorded it, so that a restart never hands a client a fresh budget. The ledger counts per
/// UTC day, so this covers windows of whole days (the default, a day, included), which begin at a UTC
/// midnight; a window shorter than a day starts afresh, as before. On Redis the budgets outlive any
/// instance, and there is nothing to rebuild.
/// </summary>
internal sealed partial class TokenBudgetRebuild(IRateLimitStore store, ClientRegistry clients, IUsageLedger ledger, TimeProvider time,
    ILogger<TokenBudgetRebuild> logger) : IHostedService
{
    private const long DayMilliseconds = 86_400_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not MemoryRateLimitStore memory)
        {
            return;
        }
        var budgeted = clients.Current.Clients
            .Where(c => c.TokenBudget is { WindowMilliseconds: > 0 } budget && budget.WindowMilliseconds % DayMilliseconds == 0)
            .ToList();
        if (budgeted.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var longest = budgeted.Max(c => c.TokenBudget!.WindowMilliseconds);
        IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>> rows;
        try
        {
            rows = await ledger.ReadAsync(clientId: null, today.AddDays(-(int)(longest / DayMilliseconds)), today, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not a reason to stay down: the budgets start afresh, as they did before there was a ledger.
            Log.Unreadable(logger, exception.GetType().Name, exception.Message);
            return;
        }
        var byClient = rows.ToLookup(row => row.Key.ClientId, StringComparer.Ordinal);
        var rebuilt = 0;
        foreach (var client in budgeted)
        {
            var budget = client.TokenBudget!;
            var windowStart = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(
                budget.WindowIndexAt(now.ToUnixTimeMilliseconds()) * budget.WindowMilliseconds).UtcDateTime);
            var used = byClient[client.Id].Where(row => row.Key.Day >= windowStart)
                .Sum(row => row.Value.InputTokens + row.Value.OutputTokens);
            if (used > 0)
            {
                // A reservation that is never settled: the window counts what the ledger says it spent.
                memory.ReserveTokens(budget, client.Partition, 0, used);
                rebuilt++;
            }
        }
        if (rebuilt > 0)
        {
            Log.Rebuilt(logger, rebuilt);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Token budgets of {Clients} clients carry on from the usage ledger")]
        public static partial void Rebuilt(ILogger logger, int clients);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The usage ledger could not be read at start ({Error}: {Reason}): token budgets start afresh")]
        public static partial void Unreadable(ILogger logger, string error, string reason);
    }
}
