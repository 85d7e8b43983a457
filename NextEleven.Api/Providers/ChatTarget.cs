using Microsoft.Extensions.AI;

namespace NextEleven.Api.Providers;

/// <summary>One model at one provider that a public model is routed to (<c>xai/grok-4</c>), with its client and its breaker.</summary>
internal sealed class ChatTarget(string provider, string model, IChatClient client, TargetBreaker breaker, TimeSpan timeout,
    string? endpointHost, Usage.ModelPrice? price = null)
{
    private int _unpricedTold;

    /// <summary>The provider's name, as replies report it (<c>provider</c>).</summary>
    public string Provider { get; } = provider;

    /// <summary>The model's name at the provider, sent upstream.</summary>
    public string Model { get; } = model;

    /// <summary><c>provider/model</c>, as <c>X-NextEleven-Target</c>, readiness and metrics name it.</summary>
    public string Name { get; } = provider + "/" + model;

    public IChatClient Client { get; } = client;

    public TargetBreaker Breaker { get; } = breaker;

    /// <summary>Bounds a call until its first byte and, in a stream, the wait for each next piece.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>The provider's host, for env-status; null for the offline responder.</summary>
    public string? EndpointHost { get; } = endpointHost;

    /// <summary>What the target costs; null when the operator set no price for it.</summary>
    public Usage.ModelPrice? Price { get; } = price;

    /// <summary>True the first time it is asked, for a warning once per target that it has no price.</summary>
    public bool FirstCallWithoutPrice() => Price is null && Interlocked.Exchange(ref _unpricedTold, 1) == 0;

    /// <summary>The offline responder answers at once and cannot fail: no deadline, no breaker bookkeeping.</summary>
    public bool IsOffline => Client is EchoChatClient;
}
