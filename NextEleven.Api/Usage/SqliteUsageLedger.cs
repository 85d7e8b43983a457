using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NextEleven.Api.Usage;

/// <summary>
/// The embedded ledger: one SQLite file in WAL mode (readers never wait for the writer), one row per
/// client, UTC day and target, keyed by all three so that a client's days are an index range, not a scan.
/// Writes add to a row in place (<c>ON CONFLICT … DO UPDATE</c>), a batch in one transaction.
/// </summary>
internal sealed class SqliteUsageLedger : IUsageLedger
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS usage (
            client TEXT NOT NULL,
            day TEXT NOT NULL,
            target TEXT NOT NULL,
            requests INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            cached_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_micros INTEGER NOT NULL,
            PRIMARY KEY (client, day, target)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS usage_by_day ON usage (day);
        """;

    private const string Upsert = """
        INSERT INTO usage (client, day, target, requests, input_tokens, cached_tokens, output_tokens, cost_micros)
        VALUES ($client, $day, $target, $requests, $input, $cached, $output, $cost)
        ON CONFLICT (client, day, target) DO UPDATE SET
            requests = requests + excluded.requests,
            input_tokens = input_tokens + excluded.input_tokens,
            cached_tokens = cached_tokens + excluded.cached_tokens,
            output_tokens = output_tokens + excluded.output_tokens,
            cost_micros = cost_micros + excluded.cost_micros
        """;

    private readonly string _connectionString;
    private int _created;

    public SqliteUsageLedger(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 5 }.ToString();
    }

    /// <summary>The ledger's file.</summary>
    public string Path { get; }

    public async Task AddAsync(IReadOnlyDictionary<UsageKey, UsageTotals> rows, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Upsert;
        var client = command.Parameters.Add("$client", SqliteType.Text);
        var day = command.Parameters.Add("$day", SqliteType.Text);
        var target = command.Parameters.Add("$target", SqliteType.Text);
        var requests = command.Parameters.Add("$requests", SqliteType.Integer);
        var input = command.Parameters.Add("$input", SqliteType.Integer);
        var cached = command.Parameters.Add("$cached", SqliteType.Integer);
        var output = command.Parameters.Add("$output", SqliteType.Integer);
        var cost = command.Parameters.Add("$cost", SqliteType.Integer);
        foreach (var (key, totals) in rows)
        {
            client.Value = key.ClientId;
            day.Value = DayText(key.Day);
            target.Value = key.Target;
            requests.Value = totals.Requests;
            input.Value = totals.InputTokens;
            cached.Value = totals.CachedInputTokens;
            output.Value = totals.OutputTokens;
            cost.Value = totals.CostMicros;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>>> ReadAsync(string? clientId, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT client, day, target, requests, input_tokens, cached_tokens, output_tokens, cost_micros FROM usage
            WHERE {(clientId is null ? "" : "client = $client AND ")}day >= $from AND day <= $to
            ORDER BY day DESC, client, target
            """;
        if (clientId is not null)
        {
            command.Parameters.AddWithValue("$client", clientId);
        }
        command.Parameters.AddWithValue("$from", DayText(from));
        command.Parameters.AddWithValue("$to", DayText(to));
        var rows = new List<KeyValuePair<UsageKey, UsageTotals>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new(new UsageKey(reader.GetString(0), DateOnly.ParseExact(reader.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(2)), new UsageTotals(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7))));
        }
        return rows;
    }

    /// <summary>A connection to the file; the first one creates the file, the table and WAL mode.</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (Volatile.Read(ref _created) == 0)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;\n" + Schema;
                await command.ExecuteNonQueryAsync(cancellationToken);
                Volatile.Write(ref _created, 1);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
