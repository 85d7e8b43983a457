namespace NextEleven.Api.Usage;

/// <summary>
/// A ledger write that failed after some of its rows were added (Redis writes each row on its own): those
/// rows are in the ledger, so the recorder must not add them again with the rest.
/// </summary>
internal sealed class LedgerPartlyWritten(IReadOnlyCollection<UsageKey> written, Exception failure)
    : Exception($"{written.Count} rows of the batch were written before it failed: {failure.Message}", failure)
{
    public IReadOnlyCollection<UsageKey> Written { get; } = written;
}
