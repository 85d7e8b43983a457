namespace NextEleven.Api.Requests;

/// <summary>Size limits on what a client may send (section <c>Limits</c>).</summary>
internal sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest accepted request body, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest accepted request headers, names and values together, in bytes (431 beyond).</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Longest accepted chat message, in characters.</summary>
    public int MaxMessageLength { get; set; } = 32_000;

    /// <summary>Most history entries accepted with one chat message.</summary>
    public int MaxHistoryMessages { get; set; } = 100;
}
