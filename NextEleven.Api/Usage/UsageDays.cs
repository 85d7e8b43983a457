using System.Globalization;

namespace NextEleven.Api.Usage;

/// <summary>Ledger rows gathered into days, newest first, each with its targets.</summary>
internal static class UsageDays
{
    public static IReadOnlyList<UsageDay> Of(IEnumerable<KeyValuePair<UsageKey, UsageTotals>> rows) =>
    [
        .. rows.GroupBy(row => row.Key.Day).OrderByDescending(day => day.Key).Select(day =>
        {
            var total = day.Aggregate(default(UsageTotals), (sum, row) => sum + row.Value);
            return new UsageDay(day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), total.Requests, total.InputTokens,
                total.OutputTokens, total.Cost,
                day.GroupBy(row => row.Key.Target, StringComparer.Ordinal).ToDictionary(target => target.Key, target =>
                {
                    var sum = target.Aggregate(default(UsageTotals), (s, row) => s + row.Value);
                    return new UsageOfTarget(sum.Requests, sum.InputTokens, sum.OutputTokens, sum.Cost);
                }, StringComparer.Ordinal));
        }),
    ];
}
