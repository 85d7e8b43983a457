using System.Runtime.CompilerServices;

namespace NextEleven.Api.Providers;

/// <summary>
/// Counts the calls sent for one attempt, retries included, for <c>X-NextEleven-Attempts</c>: the attempt
/// starts a count in its async flow, and the provider client adds one per request it sends.
/// </summary>
internal static class ProviderCallCounter
{
    private static readonly AsyncLocal<StrongBox<int>?> Counter = new();

    /// <summary>Starts counting the calls of the attempt that runs in this async flow; returns the count.</summary>
    public static StrongBox<int> Start() => Counter.Value = new StrongBox<int>();

    /// <summary>One request sent to a provider.</summary>
    public static void Count()
    {
        if (Counter.Value is { } counter)
        {
            Interlocked.Increment(ref counter.Value);
        }
    }
}
