using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.Usage;

/// <summary>A client's usage as <c>GET /api/v1/usage</c> reports it: its limits now, and its days, newest first.</summary>
internal sealed record UsageReport(string Client, UsageLimits Limits, IReadOnlyList<UsageDay> Days);

/// <summary>Each limit of the client, as the limit headers state it; null for a budget it does not have.</summary>
internal sealed record UsageLimits(LimitState Requests, LimitState? Tokens, SpendState? Spend);

/// <summary>One limit: its size, what is left, and when it refills (the <c>X-RateLimit-Reset</c> format).</summary>
internal sealed record LimitState(decimal Limit, decimal Remaining, string Reset);

/// <summary>The spend budget in USD: its size, what the window has used (reservations of calls under way included), what is left, and when it refills.</summary>
internal sealed record SpendState(decimal Limit, decimal Used, decimal Remaining, string Reset);

/// <summary>One UTC day of the client's calls, in total and per target.</summary>
internal sealed record UsageDay(string Date, long Requests, long InputTokens, long OutputTokens, decimal Cost,
    IReadOnlyDictionary<string, UsageOfTarget> Targets);

/// <summary>One target's share of a day.</summary>
internal sealed record UsageOfTarget(long Requests, long InputTokens, long OutputTokens, decimal Cost);

/// <summary>The usage report's JSON, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UsageReport))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
