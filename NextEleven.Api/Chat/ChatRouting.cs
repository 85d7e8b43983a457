using NextEleven.Api.Providers;

namespace NextEleven.Api.Chat;

/// <summary>Which target answered a chat call, or was tried last, and how many calls to providers the call made.</summary>
internal sealed record ChatRouting(ChatTarget Target, int Attempts);
