namespace NextEleven.Api.Shutdown;

/// <summary>Section <c>Shutdown</c>: how long streams in flight may run on once the process is told to stop.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
