namespace NextEleven.Api.Providers;

/// <summary>One named provider (<c>Chat:Providers:&lt;name&gt;</c>): an OpenAI-compatible endpoint, its key, its time and retries.</summary>
internal sealed class NamedProviderOptions
{
    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Bounds a call until its first byte and, in a stream, the wait for each next piece; <c>Chat:Timeout</c> when unset.</summary>
    public TimeSpan? Timeout { get; set; }

    public const int DefaultMaxRetries = 1;

    /// <summary>Retries of a transient failure on this provider, before any byte of an answer; 1 when unset.</summary>
    public int? MaxRetries { get; set; }
}
