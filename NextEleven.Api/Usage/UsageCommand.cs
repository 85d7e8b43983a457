using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NextEleven.Api.Configuration;
using NextEleven.Api.RateLimiting.Redis;
using StackExchange.Redis;

namespace NextEleven.Api.Usage;

/// <summary>
/// <c>dotnet NextEleven.Api.dll usage …</c>: what each client spent, per UTC day and target, read from the
/// ledger the service writes (its SQLite file, or Redis when <c>ConnectionStrings:Redis</c> is set). The
/// report alone goes to standard output; messages go to standard error. Exit codes as <c>keys</c>: 0 done,
/// 1 failed, 2 usage.
/// </summary>
internal static class UsageCommand
{
    private const int Done = 0;
    private const int Failed = 1;
    private const int Usage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (CommandConfiguration.Read(out var settingsProblem) is not { } configuration)
        {
            error.WriteLine(settingsProblem);
            return Failed;
        }
        var client = new Option<string>("--client") { Description = "One client's usage (default: every client)." };
        var from = new Option<string>("--from") { Description = "The first UTC day, yyyy-MM-dd (default: 29 days before --to)." };
        var to = new Option<string>("--to") { Description = "The last UTC day, yyyy-MM-dd (default: today)." };
        var format = new Option<string>("--format") { Description = "table (default), csv or json." };
        var usage = new Command("usage", "Reports usage from the ledger: requests, tokens and cost per client, UTC day and target.")
        {
            client, from, to, format,
        };
        var parsed = new RootCommand("NextEleven.Api") { usage }.Parse(["usage", .. args]);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine(problem.Message);
            }
            return Usage;
        }
        if (args is ["--help" or "-h" or "-?", ..])
        {
            return await parsed.InvokeAsync();
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (!TryDay(parsed.GetValue(to), today, out var last) || !TryDay(parsed.GetValue(from), last.AddDays(-29), out var first))
        {
            error.WriteLine("--from and --to take a UTC day as yyyy-MM-dd, for example 2026-12-01.");
            return Usage;
        }
        if (first > last)
        {
            error.WriteLine("--from must not be after --to.");
            return Usage;
        }
        var shape = parsed.GetValue(format) ?? "table";
        if (shape is not ("table" or "csv" or "json"))
        {
            error.WriteLine("--format must be table, csv or json.");
            return Usage;
        }

        try
        {
            var rows = await ReadAsync(configuration, parsed.GetValue(client), first, last);
            Write(rows, shape, output);
            return Done;
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or RedisException or IOException
            or UnauthorizedAccessException)
        {
            error.WriteLine($"The usage ledger could not be read: {exception.Message}");
            return Failed;
        }
    }

    private static async Task<IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>>> ReadAsync(ConfigurationManager configuration,
        string? clientId, DateOnly first, DateOnly last)
    {
        var settings = configuration.GetSection(UsageOptions.SectionName).Get<UsageOptions>() ?? new UsageOptions();
        var redis = configuration.GetConnectionString(RedisStoreOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(redis))
        {
            var path = Path.GetFullPath(settings.Database, Directory.GetCurrentDirectory());
            if (!File.Exists(path))
            {
                throw new IOException($"there is no ledger at {path} (Usage:Database).");
            }
            return await new SqliteUsageLedger(path).ReadAsync(clientId, first, last, CancellationToken.None);
        }
        var prefix = configuration.GetSection(RedisStoreOptions.SectionName).Get<RedisStoreOptions>()?.KeyPrefix ?? new RedisStoreOptions().KeyPrefix;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        return await new RedisUsageLedger(connection, prefix, settings.Retention).ReadAsync(clientId, first, last, CancellationToken.None);
    }

    private static void Write(IReadOnlyList<KeyValuePair<UsageKey, UsageTotals>> rows, string shape, TextWriter output)
    {
        var ordered = rows.OrderByDescending(r => r.Key.Day).ThenBy(r => r.Key.ClientId, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Target, StringComparer.Ordinal).ToList();
        switch (shape)
        {
            case "json":
                output.WriteLine(JsonSerializer.Serialize(ordered.Select(r => new UsageLine(Day(r.Key.Day), r.Key.ClientId, r.Key.Target,
                    r.Value.Requests, r.Value.InputTokens, r.Value.CachedInputTokens, r.Value.OutputTokens, r.Value.Cost)).ToList(),
                    UsageCommandJsonContext.Default.ListUsageLine));
                break;
            case "csv":
                output.WriteLine("date,client,target,requests,input_tokens,cached_input_tokens,output_tokens,cost_usd");
                foreach (var (key, totals) in ordered)
                {
                    output.WriteLine(string.Join(',', Day(key.Day), Csv(key.ClientId), Csv(key.Target), Number(totals.Requests),
                        Number(totals.InputTokens), Number(totals.CachedInputTokens), Number(totals.OutputTokens), Usd(totals.Cost)));
                }
                break;
            default:
                string[] header = ["date", "client", "target", "requests", "input", "cached", "output", "cost (USD)"];
                var lines = ordered.Select(r => new[]
                {
                    Day(r.Key.Day), r.Key.ClientId, r.Key.Target, Number(r.Value.Requests), Number(r.Value.InputTokens),
                    Number(r.Value.CachedInputTokens), Number(r.Value.OutputTokens), Usd(r.Value.Cost),
                }).ToList();
                var total = ordered.Aggregate(default(UsageTotals), (sum, r) => sum + r.Value);
                lines.Add(["total", "", "", Number(total.Requests), Number(total.InputTokens), Number(total.CachedInputTokens),
                    Number(total.OutputTokens), Usd(total.Cost)]);
                var widths = header.Select((h, i) => Math.Max(h.Length, lines.Max(l => l[i].Length))).ToArray();
                output.WriteLine(Row(header, widths));
                foreach (var line in lines)
                {
                    output.WriteLine(Row(line, widths));
                }
                break;
        }
    }

    /// <summary>Text columns left, number columns (from the fourth) right.</summary>
    private static string Row(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i < 3 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return text is null || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Usd(decimal value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>Ids and targets hold no comma or quote (their names are restricted), but a field is quoted if one ever does.</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
