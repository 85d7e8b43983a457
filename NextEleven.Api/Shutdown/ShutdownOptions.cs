namespace NextEleven.Api.Shutdown;

/// <summary>
/// Section <c>Shutdown</c>: how long the instance keeps serving, reported not ready, once told to stop
/// (so load balancers stop sending to it first), and how long streams in flight may then run on.
/// </summary>
internal sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>Unset: 5 seconds outside Development, none in Development.</summary>
    public TimeSpan? ReadinessDelay { get; set; }

    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReadinessDelayIn(IHostEnvironment environment) =>
        ReadinessDelay ?? (environment.IsDevelopment() ? TimeSpan.Zero : TimeSpan.FromSeconds(5));
}
