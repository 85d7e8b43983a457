namespace NextEleven.Api.Usage;

/// <summary>The usage ledger (section <c>Usage</c>): where every settled call is recorded, per client, UTC day and target.</summary>
internal sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>The embedded ledger's SQLite file, relative to the content root unless absolute. Unused when Redis holds the ledger.</summary>
    public string Database { get; set; } = "usage.db";

    /// <summary>How long the Redis ledger keeps a day.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);
}
