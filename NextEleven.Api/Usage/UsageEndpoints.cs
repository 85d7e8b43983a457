using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using NextEleven.Api.Chat;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;

namespace NextEleven.Api.Usage;

/// <summary><c>GET /api/v1/usage</c>: a key's own client, its limits and its days from the ledger.</summary>
internal static class UsageEndpoints
{
    public const int MaxDays = 400;
    public const int DefaultDays = 30;

    public static RouteHandlerBuilder MapUsage(this IEndpointRouteBuilder api) =>
        api.MapGet("/v1/usage", ReportAsync)
            .WithName("GetUsage")
            .WithTags("Usage")
            .WithSummary("The calling key's client: its limits now, and its usage per UTC day and target, newest first.")
            .WithDescription($"days: how many days back, today included (1 to {MaxDays}, default {DefaultDays}). Only the key's own client is reported.");

    private static async Task<Results<Ok<UsageReport>, ApiErrorResult>> ReportAsync(HttpContext context, string? days, IUsageLedger ledger,
        ChatPipeline chat, IRateLimitStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var count = DefaultDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxDays))
        {
            return ApiErrors.BadRequest($"Field 'days' must be a whole number from 1 to {MaxDays}.");
        }
        var caller = context.Features.GetRequiredFeature<Caller>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var rows = await ledger.ReadAsync(caller.ClientId, today.AddDays(1 - count), today, cancellationToken);

        var requests = context.Features.GetRequiredFeature<LimitResults>().Requests;
        var budgets = chat.CallerOf(context);
        LimitState? tokens = null;
        if (budgets.TokenBudget is { } tokenBudget)
        {
            // Reserving nothing reads the budget without changing it.
            var balance = await store.ReserveBudgetAsync(tokenBudget, caller.Partition, 0, 0);
            tokens = new LimitState(tokenBudget.PermitLimit, balance.Remaining, tokenBudget.FormatReset(balance.Reset));
        }
        SpendState? spend = null;
        if (budgets.SpendBudget is { } spendBudget)
        {
            var balance = await store.ReserveBudgetAsync(spendBudget, caller.Partition, 0, 0);
            spend = new SpendState(MicroDollars.ToUsd(spendBudget.PermitLimit), MicroDollars.ToUsd(spendBudget.PermitLimit - balance.Remaining),
                MicroDollars.ToUsd(balance.Remaining), spendBudget.FormatReset(balance.Reset));
        }
        return TypedResults.Ok(new UsageReport(caller.ClientId,
            new UsageLimits(new LimitState(requests.Policy.PermitLimit, requests.Remaining, requests.Policy.FormatReset(requests.Reset)), tokens, spend),
            UsageDays.Of(rows)));
    }
}
