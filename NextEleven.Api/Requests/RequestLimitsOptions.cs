using System.ComponentModel.DataAnnotations;

namespace NextEleven.Api.Requests;

/// <summary>Size limits on what a client may send (section <c>Limits</c>).</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest accepted request body, in bytes.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest accepted request headers, names and values together, in bytes (431 beyond).</summary>
    [Range(1_024, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Longest accepted chat message, in characters.</summary>
    [Range(1, 1_000_000)]
    public int MaxMessageLength { get; set; } = 32_000;

    /// <summary>Most history entries accepted with one chat message.</summary>
    [Range(0, 10_000)]
    public int MaxHistoryMessages { get; set; } = 100;
}
