using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>Who a chat call is for: its client (null without a valid key), whose budgets it draws on.</summary>
internal sealed record ChatCaller(ApiClient? Client, LimitPartition Partition, RateLimitPolicy? TokenBudget, RateLimitPolicy? SpendBudget = null)
{
    /// <summary>The client id metrics name the call by; <c>anonymous</c> without a valid key.</summary>
    public string ClientId => Client?.Id ?? ClientRateLimiter.AnonymousClientId;
}
