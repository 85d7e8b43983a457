using Microsoft.Extensions.Time.Testing;
using NextEleven.Api.Providers;

namespace NextEleven.Api.Tests.Providers;

/// <summary>A target's breaker on a fake clock: failures in a row, breaks from Retry-After, one trial. No host.</summary>
[Trait("Category", "Unit")]
public sealed class TargetBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    private TargetBreaker Breaker(int failures = 3, int breakSeconds = 30, int maxBreakSeconds = 300) => new(new BreakerOptions
    {
        Failures = failures,
        Break = TimeSpan.FromSeconds(breakSeconds),
        MaxBreak = TimeSpan.FromSeconds(maxBreakSeconds),
    }, _time);

    private static void Fail(TargetBreaker breaker, AttemptOutcome outcome = AttemptOutcome.ServerError, TimeSpan? retryAfter = null)
    {
        Assert.True(breaker.TryEnter(out var trial));
        breaker.Failed(outcome, retryAfter, trial);
    }

    [Fact]
    public void FailuresInARowOpenItAndASuccessBetweenThemStartsTheCountAgain()
    {
        var breaker = Breaker(failures: 3);
        Fail(breaker);
        Fail(breaker);
        Assert.True(breaker.TryEnter(out var trial));
        breaker.Succeeded(trial);
        Fail(breaker);
        Fail(breaker);
        Assert.Equal(BreakerState.Closed, breaker.State);

        Fail(breaker);

        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.False(breaker.TryEnter(out _));
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), breaker.OpenUntil);
    }

    [Theory]
    [InlineData("RateLimited", null, 30)]
    [InlineData("RateLimited", 12, 12)]
    [InlineData("RateLimited", 86400, 300)]
    [InlineData("ServerError", 45, 45)]
    [InlineData("CredentialsRefused", null, 300)]
    public void SomeAnswersOpenItAtOnceForAsLongAsTheySay(string outcome, int? retryAfterSeconds, int openSeconds)
    {
        var breaker = Breaker();

        Fail(breaker, Enum.Parse<AttemptOutcome>(outcome), retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        Assert.Equal(BreakerState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(openSeconds) - TimeSpan.FromMilliseconds(1));
        Assert.False(breaker.TryEnter(out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.True(breaker.TryEnter(out var trial));
        Assert.True(trial);
    }

    [Fact]
    public void WhenTheBreakEndsExactlyOneOfManyRacingCallersIsTheTrial()
    {
        var breaker = Breaker(failures: 1);
        Fail(breaker);
        _time.Advance(TimeSpan.FromSeconds(30));

        var admitted = 0;
        Parallel.For(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (breaker.TryEnter(out var trial))
            {
                Assert.True(trial);
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(1, admitted);
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
    }

    [Fact]
    public void ATrialThatSucceedsClosesItAndOneThatFailsOpensItAgain()
    {
        var breaker = Breaker(failures: 1);
        Fail(breaker);
        _time.Advance(TimeSpan.FromSeconds(30));
        Fail(breaker);
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), breaker.OpenUntil);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter(out var trial));
        breaker.Succeeded(trial);

        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.True(breaker.TryEnter(out var next));
        Assert.False(next);
    }

    [Fact]
    public void ATrialGivenBackWithoutAVerdictLetsTheNextCallerTry()
    {
        var breaker = Breaker(failures: 1);
        Fail(breaker);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter(out var trial));
        Assert.False(breaker.TryEnter(out _));

        breaker.Released(trial);

        Assert.True(breaker.TryEnter(out var again));
        Assert.True(again);
    }

    [Fact]
    public void ALateFailureOfACallLetThroughBeforeTheBreakerOpenedOnlyEverLengthensTheBreak()
    {
        var breaker = Breaker(failures: 1, breakSeconds: 30);
        Assert.True(breaker.TryEnter(out var early));
        Fail(breaker);
        var openUntil = breaker.OpenUntil;

        Assert.Null(breaker.Failed(AttemptOutcome.ServerError, null, early));
        Assert.Equal(openUntil, breaker.OpenUntil);
        Assert.Equal(TimeSpan.FromSeconds(120), breaker.Failed(AttemptOutcome.RateLimited, TimeSpan.FromSeconds(120), early));
        Assert.Equal(_time.GetUtcNow().AddSeconds(120), breaker.OpenUntil);
    }
}
