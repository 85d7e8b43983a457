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

    public RateLimitPolicy(string name, int permitLimit, TimeSpan window)
    {
        Name = name;
        PermitLimit = permitLimit;
        Window = window;
        WindowMilliseconds = (long)window.TotalMilliseconds;
        WindowInWords = Describe(window);
        LimitHeader = permitLimit.ToString(CultureInfo.InvariantCulture);
        PolicyHeader = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={permitLimit};w={(long)window.TotalSeconds}");
    }

    public string Name { get; }

    public int PermitLimit { get; }

    public TimeSpan Window { get; }

    public long WindowMilliseconds { get; }

    /// <summary>"per hour", "per 15 minutes", "per 30 seconds".</summary>
    public string WindowInWords { get; }

    public string LimitHeader { get; }

    /// <summary>The IETF draft's <c>RateLimit-Policy</c> value: <c>"default";q=100;w=3600</c>.</summary>
    public string PolicyHeader { get; }

    /// <summary>Whole seconds from <paramref name="now"/> until <paramref name="reset"/>, rounded up and at least 1 (Retry-After, <c>t=</c>).</summary>
    public static int SecondsUntil(DateTimeOffset reset, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((reset - now).TotalSeconds));

    /// <summary>Windows are aligned to multiples of their length since the Unix epoch, on whichever clock decides.</summary>
    public long WindowIndexAt(long unixMilliseconds) => unixMilliseconds / WindowMilliseconds;

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
        && Name == other.Name && PermitLimit == other.PermitLimit && WindowMilliseconds == other.WindowMilliseconds;

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
