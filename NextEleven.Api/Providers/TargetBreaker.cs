namespace NextEleven.Api.Providers;

/// <summary>
/// The circuit breaker of one target, per instance. <see cref="BreakerOptions.Failures"/> failures in a
/// row open it for <see cref="BreakerOptions.Break"/>; a 429 opens it at once for the provider's
/// <c>Retry-After</c> (capped at <see cref="BreakerOptions.MaxBreak"/>), a 503 with <c>Retry-After</c> for
/// that long, a refused key for the longest break. When a break ends exactly one request is let through
/// (the trial): success closes the breaker, failure opens it again.
/// </summary>
/// <remarks>
/// Written here rather than with Polly's circuit breaker: Polly opens on a failure ratio over a sampling
/// window once a minimum throughput is reached, and only then asks for a break duration, so it cannot
/// count failures in a row, nor open on a single 429 for exactly that answer's <c>Retry-After</c> while a
/// 500 needs three. The closed state, the common case, costs one volatile read per call.
/// </remarks>
internal sealed class TargetBreaker(BreakerOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private volatile BreakerState _state = BreakerState.Closed;
    private int _failures;
    private DateTimeOffset _openUntil;

    /// <summary>Where the breaker stands now; an open breaker whose break has ended reads as half-open.</summary>
    public BreakerState State
    {
        get
        {
            var state = _state;
            return state == BreakerState.Open && time.GetUtcNow() >= OpenUntil ? BreakerState.HalfOpen : state;
        }
    }

    /// <summary>When an open breaker lets its trial through.</summary>
    public DateTimeOffset OpenUntil
    {
        get
        {
            lock (_gate)
            {
                return _openUntil;
            }
        }
    }

    /// <summary>
    /// Whether a call may go to the target now: the breaker is closed, or its break has ended and this is
    /// the one trial (<paramref name="isTrial"/>). A caller let through must report how the call went.
    /// </summary>
    public bool TryEnter(out bool isTrial)
    {
        isTrial = false;
        if (_state == BreakerState.Closed)
        {
            return true;
        }
        lock (_gate)
        {
            if (_state == BreakerState.Closed)
            {
                return true;
            }
            if (_state == BreakerState.Open && time.GetUtcNow() >= _openUntil)
            {
                _state = BreakerState.HalfOpen;
                isTrial = true;
                return true;
            }
            return false;
        }
    }

    /// <summary>The call answered: the failures in a row start again from zero, and a trial closes the breaker.</summary>
    public void Succeeded(bool isTrial)
    {
        if (!isTrial && _state == BreakerState.Closed && Volatile.Read(ref _failures) == 0)
        {
            return;
        }
        lock (_gate)
        {
            if (isTrial || _state == BreakerState.Closed)
            {
                _state = BreakerState.Closed;
                _failures = 0;
            }
        }
    }

    /// <summary>The call failed for the target's sake; returns the break when this failure opened the breaker.</summary>
    public TimeSpan? Failed(AttemptOutcome outcome, TimeSpan? retryAfter, bool isTrial)
    {
        lock (_gate)
        {
            var opensFor = outcome switch
            {
                AttemptOutcome.RateLimited => Min(retryAfter ?? options.Break, options.MaxBreak),
                AttemptOutcome.CredentialsRefused => options.MaxBreak,
                AttemptOutcome.ServerError when retryAfter is { } wait => Min(wait, options.MaxBreak),
                _ => (TimeSpan?)null,
            };
            if (!isTrial && _state != BreakerState.Closed)
            {
                // A call let through before another opened the breaker: only a longer break counts.
                if (opensFor is { } longer && time.GetUtcNow() + longer > _openUntil)
                {
                    _openUntil = time.GetUtcNow() + longer;
                    return longer;
                }
                return null;
            }
            if (opensFor is null && (isTrial || ++_failures >= options.Failures))
            {
                opensFor = options.Break;
            }
            if (opensFor is { } duration)
            {
                _state = BreakerState.Open;
                _failures = 0;
                _openUntil = time.GetUtcNow() + duration;
            }
            return opensFor;
        }
    }

    /// <summary>A call let through ended without a verdict (the client went away, the request was at fault): a trial is given back.</summary>
    public void Released(bool isTrial)
    {
        if (!isTrial)
        {
            return;
        }
        lock (_gate)
        {
            if (_state == BreakerState.HalfOpen)
            {
                _state = BreakerState.Open;
                _openUntil = time.GetUtcNow();
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
