namespace NextEleven.Api.Usage;

/// <summary>What a chat call cost, set on its request once known, for the request log line's <c>CostUsd</c>.</summary>
internal sealed record ReportedCost(decimal Usd);
