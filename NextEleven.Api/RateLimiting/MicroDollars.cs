using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Money as the ledger and the spend budgets count it: whole micro-dollars in a <c>long</c>, converted
/// from and to USD in <c>decimal</c> here only.
/// </summary>
internal static class MicroDollars
{
    public const decimal PerDollar = 1_000_000m;

    private static readonly string[] FractionFormats = ["D0", "D1", "D2", "D3", "D4", "D5", "D6"];

    /// <summary>
    /// Micro-dollars as USD: at least two decimals, at most six (<c>50.00</c>, <c>48.765433</c>). Written
    /// digit by digit: two of these go out with every reply under a spend budget, and a decimal's custom
    /// format string costs more than the rest of the headers together.
    /// </summary>
    public static string Format(long micros)
    {
        var dollars = micros / 1_000_000;
        var fraction = micros % 1_000_000;
        var decimals = 6;
        while (decimals > 2 && fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }
        Span<char> text = stackalloc char[32];
        dollars.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        text[length++] = '.';
        fraction.TryFormat(text[length..], out var digits, FractionFormats[decimals], CultureInfo.InvariantCulture);
        return new string(text[..(length + digits)]);
    }

    /// <summary>USD as whole micro-dollars, rounded up (a cost is already whole micro-dollars: unchanged).</summary>
    public static long FromUsd(decimal usd) => (long)decimal.Ceiling(usd * PerDollar);

    /// <summary>USD as whole micro-dollars, rounded down: a limit never allows more than was set.</summary>
    public static long FloorOf(decimal usd) => (long)decimal.Floor(usd * PerDollar);

    public static decimal ToUsd(long micros) => micros / PerDollar;
}
