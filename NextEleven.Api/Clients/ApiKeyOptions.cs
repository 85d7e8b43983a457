using Microsoft.Extensions.Configuration;

namespace NextEleven.Api.Clients;

/// <summary>The service's API key, read from <c>NEXTELEVEN_API_KEY</c> (environment, .env.local, .env).</summary>
internal sealed class ApiKeyOptions
{
    public const string VariableName = "NEXTELEVEN_API_KEY";

    /// <summary>The minimum length accepted outside Development; <c>openssl rand -hex 32</c> gives 64.</summary>
    public const int MinimumLength = 32;

    /// <summary>Placeholders shipped in examples; a key equal to one of them is as good as none.</summary>
    public static readonly IReadOnlyList<string> Placeholders =
    [
        "replace-with-the-output-of-openssl-rand-hex-32",
        "your_generated_api_key_here",
        "your_api_key_here",
    ];

    public const string PreviousVariableName = "NEXTELEVEN_API_KEY_PREVIOUS";

    [ConfigurationKeyName(VariableName)]
    public string? ApiKey { get; set; }

    /// <summary>
    /// The key being rotated out, accepted beside <see cref="ApiKey"/> until it is removed, so clients can
    /// move to the new key without a moment in which one of the two is refused.
    /// </summary>
    [ConfigurationKeyName(PreviousVariableName)]
    public string? PreviousApiKey { get; set; }
}
