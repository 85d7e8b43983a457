using Microsoft.Extensions.Time.Testing;
using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.Tests.RateLimiting.Redis;

/// <summary>The Redis call deadline on its own, on a fake clock: patient while Redis answers, bounded always.</summary>
[Trait("Category", "Unit")]
public sealed class FairDeadlineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(25);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ACallThatAnswersInTimeGivesItsResult()
    {
        var answer = await FairDeadline.WaitAsync(Task.FromResult(42), Timeout, _time, () => 0);

        Assert.Equal(42, answer);
    }

    [Fact]
    public async Task ASilentRedisTimesOutAndNoCallWaitsPastItsPatience()
    {
        var never = new TaskCompletionSource<int>();

        var wait = FairDeadline.WaitAsync(never.Task, Timeout, _time, () => 0);
        var waited = await DriveAsync(wait, answering: false);

        await Assert.ThrowsAsync<TimeoutException>(() => wait);
        Assert.InRange(waited, Timeout, Timeout * FairDeadline.MaxPatience + Step * 4);
    }

    [Fact]
    public async Task WhileOtherCallsAreAnsweredTheCallIsGivenMoreTimeAndItsResultCounts()
    {
        var late = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        long answers = 0;

        var wait = FairDeadline.WaitAsync(late.Task, Timeout, _time, () => Interlocked.Read(ref answers));
        await DriveAsync(wait, answering: true, until: Timeout * 3, onStep: () => Interlocked.Increment(ref answers));
        late.SetResult(7);

        Assert.Equal(7, await wait);
    }

    [Fact]
    public async Task EvenWhileRedisAnswersOthersTheCallGivesUpAtItsPatience()
    {
        var never = new TaskCompletionSource<int>();
        long answers = 0;

        var wait = FairDeadline.WaitAsync(never.Task, Timeout, _time, () => Interlocked.Read(ref answers));
        var waited = await DriveAsync(wait, answering: true, onStep: () => Interlocked.Increment(ref answers));

        await Assert.ThrowsAsync<TimeoutException>(() => wait);
        Assert.InRange(waited, Timeout * FairDeadline.MaxPatience, Timeout * FairDeadline.MaxPatience + Step * 4);
    }

    [Fact]
    public async Task AFailedCallFailsWithItsOwnException()
    {
        var failing = Task.FromException<int>(new InvalidOperationException("the connection broke"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => FairDeadline.WaitAsync(failing, Timeout, _time, () => 0));
    }

    /// <summary>
    /// Moves the fake clock on a step at a time (letting the wait's continuations run between steps) until
    /// the wait ends or <paramref name="until"/>; returns the fake time that passed.
    /// </summary>
    private async Task<TimeSpan> DriveAsync(Task wait, bool answering, TimeSpan? until = null, Action? onStep = null)
    {
        var started = _time.GetUtcNow();
        var limit = until ?? Timeout * (FairDeadline.MaxPatience + 4);
        while (!wait.IsCompleted && _time.GetUtcNow() - started < limit)
        {
            if (answering)
            {
                onStep?.Invoke();
            }
            _time.Advance(Step);
            // Real time, briefly: the wait's continuation arms its next timer on the fake clock.
            await Task.WhenAny(wait, Task.Delay(5));
        }
        return _time.GetUtcNow() - started;
    }
}
