using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Decides which budget a request draws on: its client's (every key of a client shares one), under the
/// client's own policy, when the key is valid; otherwise the client address's. Missing and wrong keys draw on the address's budget, so guessing keys is limited too and a
/// made-up key never opens a fresh budget. The public health check has its own per-address policy.
/// </summary>
internal sealed class ClientRateLimiter
{
    public const string DefaultPolicyName = "default";
    public const string PublicPolicyName = "public";

    /// <summary>How metrics name the client of a request without a valid key.</summary>
    public const string AnonymousClientId = "anonymous";

    private readonly IRateLimitClientResolver _clients;
    private readonly IRateLimitStore _store;
    private readonly RateLimitMetrics _metrics;

    public ClientRateLimiter(IOptions<RateLimitOptions> options, IRateLimitClientResolver clients, IRateLimitStore store,
        MemoryRateLimitStore memory, RateLimitMetrics metrics)
    {
        _clients = clients;
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

    public RateLimitPolicy Default { get; }

    public RateLimitPolicy Public { get; }

    /// <summary>
    /// A decision on the address's budget alone, for a request refused before its key is read (headers too
    /// large): it is still counted and told its budget, like every other /api response.
    /// </summary>
    public ValueTask<RateLimitDecision> AcquireForAddressAsync(HttpContext context) =>
        Take(Default, ClientKey.FromAddress(context.Connection.RemoteIpAddress));

    public ValueTask<RateLimitDecision> AcquireAsync(HttpContext context, bool isPublicEndpoint)
    {
        RateLimitPolicy policy;
        ClientKey client;
        if (isPublicEndpoint)
        {
            policy = Public;
            client = ClientKey.FromAddress(context.Connection.RemoteIpAddress);
        }
        else
        {
            if (_clients.Resolve(context) is { } known)
            {
                policy = known.Policy;
                client = known.Partition;
            }
            else
            {
                policy = Default;
                client = ClientKey.FromAddress(context.Connection.RemoteIpAddress);
            }
        }
        return Take(policy, client);
    }

    private ValueTask<RateLimitDecision> Take(RateLimitPolicy policy, ClientKey client)
    {
        var pending = _store.TakeAsync(policy, client, 1);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(Decided(policy, client, pending.Result))
            : AwaitDecision(policy, client, pending);
    }

    private async ValueTask<RateLimitDecision> AwaitDecision(RateLimitPolicy policy, ClientKey client, ValueTask<PermitTake> pending) =>
        Decided(policy, client, await pending);

    private RateLimitDecision Decided(RateLimitPolicy policy, ClientKey client, PermitTake take)
    {
        var clientId = client.ClientId ?? AnonymousClientId;
        _metrics.Decided(policy.Name, clientId, take.IsTaken);
        return new RateLimitDecision(policy, client, clientId, take);
    }
}
