using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Takes one permit from a partition's budget under a policy and says what came of it. Whose budget a
/// request draws on is decided before it gets here: its client's (every key of a client shares one)
/// when the key is valid, else its address's, so missing and wrong keys are limited too and a made-up
/// key never opens a fresh budget. The public health check has its own per-address policy.
/// </summary>
internal sealed class ClientRateLimiter
{
    public const string DefaultPolicyName = "default";
    public const string PublicPolicyName = "public";

    /// <summary>How logs and metrics name the client of a request without a valid key.</summary>
    public const string AnonymousClientId = "anonymous";

    private readonly IRateLimitStore _store;
    private readonly RateLimitMetrics _metrics;

    public ClientRateLimiter(IOptions<RateLimitOptions> options, IRateLimitStore store, MemoryRateLimitStore memory,
        RateLimitMetrics metrics)
    {
        _store = store;
        _metrics = metrics;
        var settings = options.Value;
        Default = new RateLimitPolicy(DefaultPolicyName, settings.PermitLimit, settings.Window);
        Public = new RateLimitPolicy(PublicPolicyName, settings.Public.PermitLimit, settings.Public.Window);
        metrics.Meter.CreateObservableGauge("nexteleven.rate_limit.tracked_clients",
            () => new[]
            {
                new Measurement<int>(memory.TrackedClients(Default), new KeyValuePair<string, object?>("policy", DefaultPolicyName)),
                new Measurement<int>(memory.TrackedClients(Public), new KeyValuePair<string, object?>("policy", PublicPolicyName)),
            },
            "{client}", "Clients tracked in this instance's memory in the current window, by policy.");
    }

    /// <summary>The policy of a request without a valid key, and of a client that sets none of its own.</summary>
    public RateLimitPolicy Default { get; }

    /// <summary>The public health check's policy, per address.</summary>
    public RateLimitPolicy Public { get; }

    public ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, LimitPartition partition)
    {
        var pending = _store.TakeAsync(policy, partition, 1);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(Decided(policy, partition, pending.Result))
            : AwaitDecision(policy, partition, pending);
    }

    private async ValueTask<RateLimitDecision> AwaitDecision(RateLimitPolicy policy, LimitPartition partition, ValueTask<PermitResult> pending) =>
        Decided(policy, partition, await pending);

    private RateLimitDecision Decided(RateLimitPolicy policy, LimitPartition partition, PermitResult take)
    {
        var clientId = partition.ClientId ?? AnonymousClientId;
        _metrics.Decided(policy.Name, clientId, take.IsTaken);
        return new RateLimitDecision(policy, partition, clientId, take);
    }
}
