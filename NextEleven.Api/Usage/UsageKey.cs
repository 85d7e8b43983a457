namespace NextEleven.Api.Usage;

/// <summary>One row of the ledger: a client's use of one target on one UTC day.</summary>
internal readonly record struct UsageKey(string ClientId, DateOnly Day, string Target);
