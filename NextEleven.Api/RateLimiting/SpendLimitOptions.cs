using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>A budget of money per window (<c>RateLimit:Spend</c>, a tier's <c>Spend</c>): USD at the configured prices.</summary>
internal sealed class SpendLimitOptions
{
    /// <summary>The window when no level sets one: 30 days.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>The window that is the UTC calendar month.</summary>
    public const string Month = "month";

    /// <summary>The largest budget, in USD: far above any real one, and well inside a counter of micro-dollars.</summary>
    public const decimal MaxLimit = 1_000_000_000m;

    /// <summary>The longest window as a TimeSpan.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    /// <summary>USD per window; off while unset at every level.</summary>
    public decimal? Limit { get; set; }

    /// <summary>A TimeSpan (<c>30.00:00:00</c>) or <c>month</c>.</summary>
    public string? Window { get; set; }

    /// <summary>The share of the budget whose crossing is logged once per client and window (only <c>RateLimit:Spend:AlertAt</c>).</summary>
    public decimal? AlertAt { get; set; }

    public const string WindowRule = "a whole number of seconds from 00:00:01 to 366.00:00:00, or month";

    public static bool IsValidLimit(decimal? limit) => limit is null or (>= 0.000001m and <= MaxLimit);

    /// <summary>Reads a window: true with null for the calendar month, true with the span for a TimeSpan, false for anything else.</summary>
    public static bool TryParseWindow(string text, out TimeSpan? window)
    {
        window = null;
        if (string.Equals(text, Month, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
            && span >= TimeSpan.FromSeconds(1) && span <= MaxWindow && span.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            window = span;
            return true;
        }
        return false;
    }
}
