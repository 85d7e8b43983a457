namespace NextEleven.Api.Usage;

/// <summary>Where usage is kept: the embedded SQLite file, or Redis when every instance shares one ledger.</summary>
internal interface IUsageLedger
{
    /// <summary>
    /// Adds each row's totals to what the ledger holds for it: each row all or none, and the batch all or
    /// none, or a <see cref="LedgerPartlyWritten"/> naming the rows that were added.
    /// </summary>
    Task AddAsync(IReadOnlyDictionary<UsageKey, UsageTotals> rows, CancellationToken cancellationToken);

    /// <summary>The rows of one client (or every client when null) from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    Task<IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>>> ReadAsync(string? clientId, DateOnly from, DateOnly to,
        CancellationToken cancellationToken);
}
