using Microsoft.Extensions.Options;
using NextEleven.Api.Security;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Decides which budget a request draws on: a valid key's own (by key id), otherwise the client
/// address's. Missing and wrong keys draw on the address's budget, so guessing keys is limited too and a
/// made-up key never opens a fresh budget. The public health check has its own per-address policy.
/// </summary>
public sealed class ClientRateLimiter
{
    public const string DefaultPolicyName = "default";
    public const string PublicPolicyName = "public";

    private readonly ApiKeyAuthenticator _authenticator;

    public ClientRateLimiter(IOptions<RateLimitOptions> options, ApiKeyAuthenticator authenticator, TimeProvider time,
        RateLimitMetrics metrics, ILogger<ClientRateLimiter> logger)
    {
        _authenticator = authenticator;
        var settings = options.Value;
        Default = new FixedWindowPolicy(DefaultPolicyName, settings.PermitLimit, settings.Window,
            settings.MaxTrackedClients, time, metrics, logger);
        Public = new FixedWindowPolicy(PublicPolicyName, settings.Public.PermitLimit, settings.Public.Window,
            settings.MaxTrackedClients, time, metrics, logger);
        metrics.Meter.CreateObservableGauge("nexteleven.rate_limit.tracked_clients",
            () => new[]
            {
                new System.Diagnostics.Metrics.Measurement<int>(Default.TrackedClients,
                    new KeyValuePair<string, object?>("policy", DefaultPolicyName)),
                new System.Diagnostics.Metrics.Measurement<int>(Public.TrackedClients,
                    new KeyValuePair<string, object?>("policy", PublicPolicyName)),
            },
            "{client}", "Clients tracked in the current window, by policy.");
    }

    public FixedWindowPolicy Default { get; }

    public FixedWindowPolicy Public { get; }

    public RateLimitDecision Acquire(HttpContext context, bool isPublicEndpoint)
    {
        if (isPublicEndpoint)
        {
            return Public.Acquire(ClientKey.FromAddress(context.Connection.RemoteIpAddress));
        }
        var identity = _authenticator.Authenticate(context);
        var client = identity.Outcome == ApiKeyOutcome.Valid
            ? ClientKey.FromKeyDigest(identity.KeyDigest)
            : ClientKey.FromAddress(context.Connection.RemoteIpAddress);
        return Default.Acquire(client);
    }
}
