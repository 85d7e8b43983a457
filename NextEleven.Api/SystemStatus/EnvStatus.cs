using System.Text.Json.Serialization;

namespace NextEleven.Api.SystemStatus;

/// <summary>
/// The public health check. To anyone: what a load balancer needs (status, environment, version without
/// the build's commit). To a caller with a valid key, also uptime, auth mode, rate-limit store
/// (<c>memory</c>, <c>redis</c>, or <c>fallback</c>: memory while Redis is unreachable) and the chat
/// provider. It names settings, never their values: no key, no secret, no client.
/// </summary>
internal sealed record EnvStatus(
    string Status,
    string Environment,
    string Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UptimeSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Auth = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RateLimitStore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EnvStatusChat? Chat = null);

/// <summary>
/// The chat provider of the default model's first target: its name, the default model, its endpoint host
/// (null for the offline responder) and whether it can answer; then every provider with its targets' breakers.
/// </summary>
internal sealed record EnvStatusChat(string Provider, string Model, string? EndpointHost, bool Configured,
    IReadOnlyList<EnvStatusProvider> Providers);
