using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// What a rate-limit policy is: its name, how many permits a client gets per window, and the header
/// texts that tell the client so. Where the counts live is the store's business
/// (<see cref="IRateLimitStore"/>), so one policy reads the same from memory or from Redis.
/// Two policies with the same name, limit and window are equal: counters survive a reload of the
/// clients file that rebuilds the policy objects without changing them.
/// </summary>
internal sealed class RateLimitPolicy : IEquatable<RateLimitPolicy>
{
    private const string ResetFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // The last Reset formatted: it changes once a window, so nearly every request reuses it.
    private volatile FormattedReset? _lastReset;

    public RateLimitPolicy(string name, long permitLimit, TimeSpan window)
    {
        Name = name;
        PermitLimit = permitLimit;
        Window = window;
        WindowMilliseconds = (long)window.TotalMilliseconds;
        WindowInWords = Describe(window);
        LimitHeader = permitLimit.ToString(CultureInfo.InvariantCulture);
        PolicyHeader = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={permitLimit};w={(long)window.TotalSeconds}");
    }

    private RateLimitPolicy(string name, long permitLimit)
    {
        Name = name;
        PermitLimit = permitLimit;
        IsCalendarMonth = true;
        WindowInWords = "per month";
        LimitHeader = permitLimit.ToString(CultureInfo.InvariantCulture);
        // The IETF draft has no calendar windows; only request and token policies, never monthly, are listed there.
        PolicyHeader = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={permitLimit}");
    }

    /// <summary>A policy whose windows are the UTC calendar months (a spend budget's <c>month</c>).</summary>
    public static RateLimitPolicy PerCalendarMonth(string name, long permitLimit) => new(name, permitLimit);

    public string Name { get; }

    /// <summary>Permits (or tokens, or micro-dollars of a spend budget) per window.</summary>
    public long PermitLimit { get; }

    /// <summary>The window's length; zero for calendar months, whose length varies.</summary>
    public TimeSpan Window { get; }

    /// <summary>The window's length in milliseconds; 0 for calendar months (the Redis scripts' sign for them).</summary>
    public long WindowMilliseconds { get; }

    /// <summary>Windows are the UTC calendar months rather than multiples of a fixed length.</summary>
    public bool IsCalendarMonth { get; }

    /// <summary>"per hour", "per 15 minutes", "per 30 seconds".</summary>
    public string WindowInWords { get; }

    public string LimitHeader { get; }

    /// <summary>The IETF draft's <c>RateLimit-Policy</c> value: <c>"default";q=100;w=3600</c>.</summary>
    public string PolicyHeader { get; }

    /// <summary>Whole seconds from <paramref name="now"/> until <paramref name="reset"/>, rounded up and at least 1 (Retry-After, <c>t=</c>).</summary>
    public static int SecondsUntil(DateTimeOffset reset, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((reset - now).TotalSeconds));

    /// <summary>
    /// Windows are aligned to multiples of their length since the Unix epoch, on whichever clock decides;
    /// calendar months are counted from January 1970.
    /// </summary>
    public long WindowIndexAt(long unixMilliseconds)
    {
        if (!IsCalendarMonth)
        {
            return unixMilliseconds / WindowMilliseconds;
        }
        var day = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;
        return (day.Year - 1970) * 12L + day.Month - 1;
    }

    /// <summary>When window <paramref name="index"/> begins.</summary>
    public DateTimeOffset WindowStart(long index) => IsCalendarMonth
        ? new DateTimeOffset(1970 + (int)(index / 12), (int)(index % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero)
        : DateTimeOffset.FromUnixTimeMilliseconds(index * WindowMilliseconds);

    /// <summary>When window <paramref name="index"/> ends: its Reset.</summary>
    public DateTimeOffset WindowEnd(long index) => WindowStart(index + 1);

    /// <summary><c>X-RateLimit-Reset</c>: UTC, millisecond precision, 'Z'.</summary>
    public string FormatReset(DateTimeOffset reset)
    {
        var last = _lastReset;
        if (last is null || last.Reset != reset)
        {
            last = new FormattedReset(reset, reset.UtcDateTime.ToString(ResetFormat, CultureInfo.InvariantCulture));
            _lastReset = last;
        }
        return last.Text;
    }

    public bool Equals(RateLimitPolicy? other) => other is not null
        && Name == other.Name && PermitLimit == other.PermitLimit && WindowMilliseconds == other.WindowMilliseconds
        && IsCalendarMonth == other.IsCalendarMonth;

    public override bool Equals(object? obj) => Equals(obj as RateLimitPolicy);

    public override int GetHashCode() => HashCode.Combine(Name, PermitLimit, WindowMilliseconds);

    private static string Describe(TimeSpan window)
    {
        var (amount, unit) = window switch
        {
            _ when window.TotalDays >= 1 && window.Ticks % TimeSpan.TicksPerDay == 0 => ((long)window.TotalDays, "day"),
            _ when window.Ticks % TimeSpan.TicksPerHour == 0 => ((long)window.TotalHours, "hour"),
            _ when window.Ticks % TimeSpan.TicksPerMinute == 0 => ((long)window.TotalMinutes, "minute"),
            _ => ((long)Math.Ceiling(window.TotalSeconds), "second"),
        };
        return amount == 1
            ? $"per {unit}"
            : string.Create(CultureInfo.InvariantCulture, $"per {amount} {unit}s");
    }

    private sealed record FormattedReset(DateTimeOffset Reset, string Text);
}
