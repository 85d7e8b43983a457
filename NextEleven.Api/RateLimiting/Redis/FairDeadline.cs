namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Waits for a Redis call up to a timeout that measures Redis, not this process's run queue. Under a
/// burst the thread pool holds hundreds of queued work items, and Redis's reply, read and completed by
/// work items of its own, waits behind them: a plain timer then calls a healthy Redis slow and sends the
/// burst to memory. So when the timer fires the wait goes on while Redis is plainly answering (other
/// calls completed since the last look) or the pool has more work queued than threads to run it, never
/// past <see cref="MaxPatience"/> times the timeout. A call that has not answered while nothing else did
/// and the pool keeps up is Redis's own silence and fails at once: a dead or stalled Redis costs a
/// request the timeout, or a little more while the process is busy.
/// </summary>
internal static class FairDeadline
{
    /// <summary>How much longer than the timeout a request may wait while the process itself is the bottleneck.</summary>
    public const int MaxPatience = 8;


    /// <param name="answers">How many Redis calls have answered so far: a count that moves means Redis is answering.</param>
    public static async Task<T> WaitAsync<T>(Task<T> call, TimeSpan timeout, TimeProvider time, Func<long> answers)
    {
        var started = time.GetTimestamp();
        // Long enough that a busy Redis answers something in it, short beside the timeout.
        var recheck = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 5, timeout.Ticks / 10));
        try
        {
            return await call.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var seen = answers();
            var answering = true;
            while (!call.IsCompleted && (answering || IsBacklogged()) && time.GetElapsedTime(started) < timeout * MaxPatience)
            {
                await Task.WhenAny(call, Task.Delay(recheck, time)).ConfigureAwait(false);
                var now = answers();
                answering = now != seen;
                seen = now;
            }
            if (call.IsCompletedSuccessfully)
            {
                return call.Result;
            }
            throw;
        }
    }

    /// <summary>More work queued than threads to run it: replies are waiting their turn here, not in Redis.</summary>
    private static bool IsBacklogged() => ThreadPool.PendingWorkItemCount > ThreadPool.ThreadCount;
}
