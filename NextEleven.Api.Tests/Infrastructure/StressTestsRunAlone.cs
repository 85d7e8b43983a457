namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// Tests that measure exactness or timing under a burst run in this collection: after the parallel part
/// of the suite, one at a time, so they load the machine themselves instead of measuring the test runner's
/// other classes. The in-process Redis (Garnet) shares this process: with forty classes running beside
/// it, it is a starved server, not a healthy one under a burst.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressTestsRunAlone
{
    public const string Name = "Stress";
}
