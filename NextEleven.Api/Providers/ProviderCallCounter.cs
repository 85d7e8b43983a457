using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;

namespace NextEleven.Api.Providers;

/// <summary>
/// Counts the calls the SDK sends for one attempt, retries included, for <c>X-NextEleven-Attempts</c>: the
/// attempt sets <see cref="Current"/> and this policy, placed per try in each provider's pipeline, adds one
/// per request sent.
/// </summary>
internal sealed class ProviderCallCounter : PipelinePolicy
{
    private static readonly AsyncLocal<StrongBox<int>?> Counter = new();

    public static ProviderCallCounter Instance { get; } = new();

    /// <summary>Starts counting the calls of the attempt that runs in this async flow; returns the count.</summary>
    public static StrongBox<int> Start() => Counter.Value = new StrongBox<int>();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Count();
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Count();
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private static void Count()
    {
        if (Counter.Value is { } counter)
        {
            Interlocked.Increment(ref counter.Value);
        }
    }
}
