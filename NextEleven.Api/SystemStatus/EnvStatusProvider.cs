namespace NextEleven.Api.SystemStatus;

/// <summary>One provider: its name, its endpoint host, and the state of each of its targets' breakers (closed, open, half-open).</summary>
internal sealed record EnvStatusProvider(string Name, string? EndpointHost, IReadOnlyDictionary<string, string> Targets);
