namespace NextEleven.Api.Hosting;

/// <summary>The .env files the configuration was read from, named in the log once logging is up.</summary>
internal sealed record DotEnvFilesRead(IReadOnlyList<string> Files);
